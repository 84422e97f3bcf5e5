using Grounded.Masks;
using Grounded.Tensors;
using Grounded.Geometry;
using Grounded.Imaging;
using Grounded.Inpaint.Masking;
using Grounded.Onnx;

namespace Grounded.Inpaint.Lama;

/// <summary>
/// LaMa (e.g. Carve/LaMa-ONNX lama_fp32.onnx): inputs <c>image</c> [1,3,S,S] RGB 0..1 and <c>mask</c> [1,1,S,S]
/// (1 = hole). A square context window around the mask is resized to the model's size, filled, resized back and
/// composited only inside the (dilated, feathered) mask. Owns its session; dispose it.
/// </summary>
public sealed class LamaInpainter : IInpainter
{
    private static readonly ModelContract Contract = new([TensorSpec.Float("image", 4), TensorSpec.Float("mask", 4)], []);

    private readonly OnnxModel _model;
    private readonly string _output;

    private LamaInpainter(OnnxModel model, int size)
    {
        _model = model;
        Size = size;
        _output = model.Outputs.Keys.First();
    }

    /// <summary>The square size the model works at (read from the model; 512 when dynamic).</summary>
    public int Size { get; }

    /// <summary>How much context around the mask's box to include, as a fraction of its larger side on each side (default 0.5).</summary>
    public double ContextRatio { get; init; } = 0.5;

    /// <summary>Opens a LaMa model file, or the single .onnx file in a folder.</summary>
    public static LamaInpainter Create(string modelPath, RuntimeOptions? runtime = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        if (Directory.Exists(modelPath))
        {
            var files = Directory.GetFiles(modelPath, "*.onnx");
            modelPath = files.Length == 1 ? files[0] : throw new ModelContractException(modelPath, "expected exactly one LaMa .onnx file in this folder.");
        }

        var model = OnnxModel.Open(modelPath, runtime, Contract);
        int[] dims = model.InputDimensions("image");
        return new LamaInpainter(model, dims[^1] > 0 ? dims[^1] : 512);
    }

    /// <inheritdoc />
    public Task<RgbImage> InpaintAsync(RgbImage image, AlphaMask mask, InpaintOptions options, IProgress<(int Step, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(mask);
        return Task.Run(() => Inpaint(image, mask, cancellationToken), cancellationToken);
    }

    private RgbImage Inpaint(RgbImage image, AlphaMask alpha, CancellationToken cancellationToken)
    {
        var hole = alpha.Support();
        if (hole.BoundingBox() is not { } box)
        {
            return new RgbImage(image.Width, image.Height, (byte[])image.Pixels.Clone());
        }

        var window = ContextWindow.Around(box, image.Width, image.Height, Size, ContextRatio);
        var resized = PilBilinear.Resize(window.Crop(image), Size, Size);
        int plane = Size * Size;
        var pixels = new float[3 * plane];
        for (int i = 0; i < plane; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                pixels[(c * plane) + i] = resized.Pixels[(i * 3) + c] / 255f;
            }
        }

        // Nearest-neighbour, so the hole stays binary at the model's size.
        var maskTensor = window.ResampleMask(hole, Size);

        var outputs = _model.Run(
            new Dictionary<string, TensorData<float>> { ["image"] = new(pixels, [1, 3, Size, Size]), ["mask"] = new(maskTensor, [1, 1, Size, Size]) },
            outputNames: [_output],
            cancellationToken: cancellationToken);
        var result = outputs[_output].Data;
        // Exports differ: some end in a 0..1 sigmoid, some rescale to 0..255. The values say which.
        float scale = result.Max() > 1.5f ? 1f : 255f;
        var filled = new RgbImage(Size, Size);
        for (int i = 0; i < plane; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                filled.Pixels[(i * 3) + c] = (byte)Math.Clamp((int)MathF.Round(result[(c * plane) + i] * scale), 0, 255);
            }
        }

        var edited = window.Paste(image, PilBilinear.Resize(filled, window.Width, window.Height));
        return Compositor.Blend(image, edited, alpha);
    }

    /// <summary>The region of the image the model sees for a mask box.</summary>
    internal ContextWindow Window(BoxXyxy box, int width, int height) => ContextWindow.Around(box, width, height, Size, ContextRatio);

    /// <inheritdoc />
    public void Dispose() => _model.Dispose();
}
