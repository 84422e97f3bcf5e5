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
    public static LamaInpainter Create(string modelPath, OnnxRuntimeOptions? runtime = null)
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
    public Task<RgbImage> InpaintAsync(RgbImage image, AlphaMask mask, InpaintRequest request, CancellationToken cancellationToken = default)
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

        var (x0, y0, side) = Window(box, image.Width, image.Height);
        int cw = Math.Min(side, image.Width - x0), ch = Math.Min(side, image.Height - y0);
        var crop = Crop(image, x0, y0, cw, ch);
        var resized = PilBilinear.Resize(crop, Size, Size);
        int plane = Size * Size;
        var pixels = new float[3 * plane];
        for (int i = 0; i < plane; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                pixels[(c * plane) + i] = resized.Pixels[(i * 3) + c] / 255f;
            }
        }

        // Nearest-neighbour mask, so the hole stays binary at the model's size.
        var maskTensor = new float[plane];
        for (int y = 0; y < Size; y++)
        {
            int sy = y0 + Math.Min(ch - 1, (int)((y + 0.5) * ch / Size));
            for (int x = 0; x < Size; x++)
            {
                int sx = x0 + Math.Min(cw - 1, (int)((x + 0.5) * cw / Size));
                maskTensor[(y * Size) + x] = hole[sx, sy] ? 1f : 0f;
            }
        }

        var outputs = _model.Run(
            new Dictionary<string, DenseTensor<float>> { ["image"] = new(pixels, [1, 3, Size, Size]), ["mask"] = new(maskTensor, [1, 1, Size, Size]) },
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

        var back = PilBilinear.Resize(filled, cw, ch);
        var edited = new RgbImage(image.Width, image.Height, (byte[])image.Pixels.Clone());
        for (int y = 0; y < ch; y++)
        {
            back.Row(y).CopyTo(edited.Pixels.AsSpan((((y0 + y) * image.Width) + x0) * 3, cw * 3));
        }

        return Compositor.Blend(image, edited, alpha);
    }

    /// <summary>A square window around the box with context, at least the model's size where the image allows, inside the image.</summary>
    internal (int X0, int Y0, int Side) Window(BoxXyxy box, int width, int height)
    {
        double larger = Math.Max(box.Width, box.Height);
        int side = (int)Math.Ceiling(larger * (1 + (2 * ContextRatio)));
        side = Math.Min(Math.Max(side, Size), Math.Max(width, height));
        double cx = (box.X0 + box.X1) / 2, cy = (box.Y0 + box.Y1) / 2;
        int x0 = Math.Clamp((int)Math.Round(cx - (side / 2.0)), 0, Math.Max(0, width - side));
        int y0 = Math.Clamp((int)Math.Round(cy - (side / 2.0)), 0, Math.Max(0, height - side));
        return (x0, y0, side);
    }

    private static RgbImage Crop(RgbImage image, int x0, int y0, int w, int h)
    {
        var crop = new RgbImage(w, h);
        for (int y = 0; y < h; y++)
        {
            image.Pixels.AsSpan((((y0 + y) * image.Width) + x0) * 3, w * 3).CopyTo(crop.Row(y));
        }

        return crop;
    }

    /// <inheritdoc />
    public void Dispose() => _model.Dispose();
}
