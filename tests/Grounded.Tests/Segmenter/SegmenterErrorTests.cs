using Grounded.Onnx;
using Grounded.Segmenter;
using Grounded.Tests.Support;

namespace Grounded.Tests.Segmenter;

public sealed class SegmenterErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-sam-").FullName;

    [Fact]
    public void A_hugging_face_folder_whose_encoder_lacks_pixel_values_names_the_tensor()
    {
        File.Copy(Fixtures.Path("sam-official", "encoder.onnx"), Path.Combine(_dir, "vision_encoder.onnx"));
        File.Copy(Fixtures.Path("sam", "prompt_encoder_mask_decoder.onnx"), Path.Combine(_dir, "prompt_encoder_mask_decoder.onnx"));

        var ex = Assert.Throws<ModelContractException>(() => SamSegmenter.Create(_dir));

        Assert.Equal("pixel_values", ex.TensorName);
        Assert.EndsWith("vision_encoder.onnx", ex.ModelPath, StringComparison.Ordinal);
    }

    [Fact]
    public void An_official_folder_whose_decoder_lacks_orig_im_size_names_the_tensor()
    {
        File.Copy(Fixtures.Path("sam-official", "encoder.onnx"), Path.Combine(_dir, "encoder.onnx"));
        File.Copy(Fixtures.Path("sam", "prompt_encoder_mask_decoder.onnx"), Path.Combine(_dir, "decoder.onnx"));

        var ex = Assert.Throws<ModelContractException>(() => SamSegmenter.Create(_dir));

        Assert.Equal("point_coords", ex.TensorName);
    }

    [Fact]
    public void A_folder_without_models_says_what_it_expected()
    {
        var ex = Assert.Throws<ModelContractException>(() => SamSegmenter.Create(_dir));

        Assert.Contains("vision_encoder.onnx", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_prompt_is_rejected()
    {
        using var segmenter = SamSegmenter.Create(Fixtures.Path("sam-official"));

        await Assert.ThrowsAsync<InvalidRequestException>(() => segmenter.SegmentAsync(Fixtures.Image("synthetic"), new SegmentationRequest { Prompts = [new SamPrompt()] }));
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
