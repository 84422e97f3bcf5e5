using Grounded.Tests.Support;
using static Grounded.Tests.Support.OnnxGraphBuilder;

namespace Grounded.Tests.Inpaint;

/// <summary>
/// A diffusers ONNX inpainting folder of tiny graphs with the exact IO contract, at 64×64 (latents 8×8):
/// text_encoder: input_ids int32 [1,77] → last_hidden_state [1,77,8] = id · (0.001…0.008);
/// unet: sample [B,9,8,8], timestep [1], encoder_hidden_states [B,77,8] → out_sample [B,4,8,8] =
///   latents + 0.01·mask + 0.0001·mean(encoder_hidden_states) + 0.000001·timestep (close to an ideal ε-predictor,
///   so the DDIM loop stays bounded and the seed and the prompt both show in the result);
/// vae_encoder: 8×8 average pooling (4 channels); vae_decoder: nearest ×8 upsampling then tanh(x / 2).
/// </summary>
internal static class TinyStableDiffusion
{
    public static string Create(string root, bool integerTimestep = false, int unetChannels = 9)
    {
        Directory.CreateDirectory(Path.Combine(root, "tokenizer"));
        File.Copy(Fixtures.Path("clip-tokenizer", "vocab.json"), Path.Combine(root, "tokenizer", "vocab.json"));
        File.Copy(Fixtures.Path("clip-tokenizer", "merges.txt"), Path.Combine(root, "tokenizer", "merges.txt"));
        Directory.CreateDirectory(Path.Combine(root, "scheduler"));
        File.WriteAllText(Path.Combine(root, "scheduler", "scheduler_config.json"),
            """{"_class_name": "DDIMScheduler", "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "num_train_timesteps": 1000, "steps_offset": 1, "set_alpha_to_one": false, "clip_sample": false}""");

        var text = new OnnxGraphBuilder().Input("input_ids", Int32Type, 1, 77).Output("last_hidden_state", Float, 1, 77, 8);
        string ids = text.Node("Cast", ["input_ids"], attributes: ("to", (long)Float));
        string column = text.Node("Unsqueeze", [ids, text.Constant([2L], 1)]);
        text.Node("Mul", [column, text.Constant([0.001f, 0.002f, 0.003f, 0.004f, 0.005f, 0.006f, 0.007f, 0.008f], 1, 1, 8)], "last_hidden_state");
        Save(text, root, "text_encoder");

        var unet = new OnnxGraphBuilder()
            .Input("sample", Float, null, unetChannels, 8, 8)
            .Input("timestep", integerTimestep ? Int64Type : Float, 1)
            .Input("encoder_hidden_states", Float, null, 77, 8)
            .Output("out_sample", Float, null, 4, 8, 8);
        string latents = unet.Node("Slice", ["sample", unet.Constant([0L], 1), unet.Constant([4L], 1), unet.Constant([1L], 1)]);
        string mean = unet.Node("ReduceMean", ["encoder_hidden_states"], attributes: [("axes", new long[] { 1, 2 }), ("keepdims", 1L)]);
        string mean4 = unet.Node("Unsqueeze", [mean, unet.Constant([3L], 1)]);
        string time = integerTimestep ? unet.Node("Cast", ["timestep"], attributes: ("to", (long)Float)) : "timestep";
        string b = latents;
        if (unetChannels == 9)
        {
            string mask = unet.Node("Slice", ["sample", unet.Constant([4L], 1), unet.Constant([5L], 1), unet.Constant([1L], 1)]);
            b = unet.Node("Add", [latents, unet.Node("Mul", [mask, unet.Constant([0.01f], 1)])]);
        }

        string c = unet.Node("Add", [b, unet.Node("Mul", [mean4, unet.Constant([0.0001f], 1)])]);
        unet.Node("Add", [c, unet.Node("Mul", [time, unet.Constant([0.000001f], 1)])], "out_sample");
        Save(unet, root, "unet");

        var encoder = new OnnxGraphBuilder().Input("sample", Float, 1, 3, 64, 64).Output("latent_sample", Float, 1, 4, 8, 8);
        string pooled = encoder.Node("AveragePool", ["sample"], attributes: [("kernel_shape", new long[] { 8, 8 }), ("strides", new long[] { 8, 8 })]);
        string first = encoder.Node("Slice", [pooled, encoder.Constant([0L], 1), encoder.Constant([1L], 1), encoder.Constant([1L], 1)]);
        encoder.Node("Concat", [pooled, first], "latent_sample", ("axis", 1L));
        Save(encoder, root, "vae_encoder");

        var decoder = new OnnxGraphBuilder().Input("latent_sample", Float, 1, 4, 8, 8).Output("sample", Float, 1, 3, 64, 64);
        string up = decoder.Node("Resize", ["latent_sample", "", decoder.Constant([1f, 1f, 8f, 8f], 4)]);
        string rgb = decoder.Node("Slice", [up, decoder.Constant([0L], 1), decoder.Constant([3L], 1), decoder.Constant([1L], 1)]);
        decoder.Node("Tanh", [decoder.Node("Mul", [rgb, decoder.Constant([0.5f], 1)])], "sample");
        Save(decoder, root, "vae_decoder");
        return root;
    }

    private static void Save(OnnxGraphBuilder graph, string root, string name)
    {
        Directory.CreateDirectory(Path.Combine(root, name));
        graph.Save(Path.Combine(root, name, "model.onnx"));
    }
}
