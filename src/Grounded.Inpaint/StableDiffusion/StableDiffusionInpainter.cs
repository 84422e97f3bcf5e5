using System.Numerics.Tensors;
using Grounded.Masks;
using Grounded.Tensors;
using System.Text.Json;
using Grounded.Imaging;
using Grounded.Inpaint.Masking;
using Grounded.Onnx;
using Grounded.Onnx.Configs;

namespace Grounded.Inpaint.StableDiffusion;

/// <summary>
/// Stable Diffusion inpainting in the diffusers ONNX layout (tokenizer/, text_encoder/, unet/ with 9 input
/// channels, vae_encoder/, vae_decoder/, scheduler/). The latents, the mask at latent size and the masked-image
/// latents are prepared as diffusers' StableDiffusionInpaintPipeline prepares them; a square window around the mask
/// is generated at the model's size and pasted back through the feathered mask, so only the masked region changes.
/// Owns its sessions; dispose it.
/// </summary>
public sealed class StableDiffusionInpainter : IInpainter
{
    private readonly ClipTokenizer _tokenizer;
    private readonly OnnxModel _textEncoder;
    private readonly OnnxModel _unet;
    private readonly OnnxModel _vaeEncoder;
    private readonly OnnxModel _vaeDecoder;
    private readonly SchedulerConfig _scheduler;
    private readonly float _scalingFactor;
    private readonly bool _timestepIsInteger;

    private StableDiffusionInpainter(ClipTokenizer tokenizer, OnnxModel textEncoder, OnnxModel unet, OnnxModel vaeEncoder, OnnxModel vaeDecoder, SchedulerConfig scheduler, float scalingFactor, int size)
    {
        _tokenizer = tokenizer;
        _textEncoder = textEncoder;
        _unet = unet;
        _vaeEncoder = vaeEncoder;
        _vaeDecoder = vaeDecoder;
        _scheduler = scheduler;
        _scalingFactor = scalingFactor;
        Size = size;
        _timestepIsInteger = unet.Inputs["timestep"].ElementDataType is Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int64 or Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int32;
    }

    /// <summary>The square size images are generated at (from the UNet's sample size × 8; 512 when unknown).</summary>
    public int Size { get; }

    /// <summary>Context around the mask's box, as a fraction of its larger side on each side (default 0.25).</summary>
    public double ContextRatio { get; set; } = 0.25;

    /// <summary>Opens a diffusers ONNX inpainting folder.</summary>
    /// <exception cref="ModelContractException">A file is missing, a tensor is wrong, or the UNet lacks 9 input channels.</exception>
    public static StableDiffusionInpainter Create(string folder, RuntimeOptions? runtime = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            throw new ModelContractException(folder, "the Stable Diffusion folder does not exist.");
        }

        var tokenizer = ClipTokenizer.Load(Path.Combine(folder, "tokenizer"));
        var opened = new List<OnnxModel>();
        try
        {
            OnnxModel Open(string name, ModelContract contract)
            {
                var model = OnnxModel.Open(Path.Combine(folder, name, "model.onnx"), runtime, contract);
                opened.Add(model);
                return model;
            }

            // diffusers' exports take int32 ids, some others int64; both are fed from the same ids. Anything else is
            // checked (and named in the error) as int32.
            var textEncoder = Open("text_encoder", new ModelContract([], []));
            bool int64Ids = textEncoder.Inputs.TryGetValue("input_ids", out var ids) && ids.ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int64;
            textEncoder.Verify(new ModelContract([int64Ids ? TensorSpec.Int64("input_ids", 2) : new TensorSpec("input_ids", Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int32, 2)], []));
            var unet = Open("unet", new ModelContract([TensorSpec.Float("sample", 4), TensorSpec.Float("encoder_hidden_states", 3)], []));
            if (!unet.HasInput("timestep"))
            {
                throw new ModelContractException(unet.Path, "timestep", "must be an input", "the UNet has none");
            }

            int channels = unet.InputDimensions("sample")[1];
            if (channels > 0 && channels != 9)
            {
                throw new ModelContractException(unet.Path, "sample", "must have 9 channels (4 latent + 1 mask + 4 masked-image latent) for inpainting", $"it has {channels}");
            }

            var vaeEncoder = Open("vae_encoder", new ModelContract([TensorSpec.Float("sample", 4)], []));
            var vaeDecoder = Open("vae_decoder", new ModelContract([TensorSpec.Float("latent_sample", 4)], []));
            string schedulerPath = Path.Combine(folder, "scheduler", "scheduler_config.json");
            var scheduler = File.Exists(schedulerPath) ? SchedulerConfig.Load(schedulerPath) : SchedulerConfig.StableDiffusion;
            int latent = unet.InputDimensions("sample")[^1];
            int size = latent > 0 ? latent * 8 : (int)(ComponentConfig(Path.Combine(folder, "unet", "config.json"))?.SampleSize ?? 64) * 8;
            float scaling = (float)(ComponentConfig(Path.Combine(folder, "vae_decoder", "config.json"))?.ScalingFactor
                ?? ComponentConfig(Path.Combine(folder, "vae_encoder", "config.json"))?.ScalingFactor
                ?? 0.18215);
            return new StableDiffusionInpainter(tokenizer, textEncoder, unet, vaeEncoder, vaeDecoder, scheduler, scaling, size);
        }
        catch
        {
            foreach (var model in opened)
            {
                model.Dispose();
            }

            throw;
        }
    }

    /// <inheritdoc />
    public Task<RgbImage> InpaintAsync(RgbImage image, AlphaMask mask, InpaintOptions options, IProgress<(int Step, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(options);
        return Task.Run(() => Inpaint(image, mask, options, progress, cancellationToken), cancellationToken);
    }

    /// <summary>noise_uncond + scale · (noise_text − noise_uncond), over the two halves of a CFG batch.</summary>
    internal static float[] Guide(float[] batchOfTwo, float scale)
    {
        int half = batchOfTwo.Length / 2;
        var uncond = batchOfTwo.AsSpan(0, half);
        var guided = new float[half];
        TensorPrimitives.Subtract(batchOfTwo.AsSpan(half, half), uncond, guided);
        TensorPrimitives.MultiplyAdd(guided, scale, uncond, guided);
        return guided;
    }

    private RgbImage Inpaint(RgbImage image, AlphaMask alpha, InpaintOptions options, IProgress<(int Step, int Total)>? progress, CancellationToken cancellationToken)
    {
        var hole = alpha.Support();
        if (hole.BoundingBox() is not { } box)
        {
            return new RgbImage(image.Width, image.Height, (byte[])image.Pixels.Clone());
        }

        var window = ContextWindow.Around(box, image.Width, image.Height, Size, ContextRatio);
        var crop = PilBilinear.Resize(window.Crop(image), Size, Size);
        int plane = Size * Size, latentSize = Size / 8, latentPlane = latentSize * latentSize;

        // Image in [-1, 1]; the masked image zeroes the hole (diffusers: init_image * (mask < 0.5)).
        float[] mask = window.ResampleMask(hole, Size);
        var pixels = new float[3 * plane];
        var masked = new float[3 * plane];
        for (int i = 0; i < plane; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                float v = (crop.Pixels[(i * 3) + c] / 127.5f) - 1f;
                pixels[(c * plane) + i] = v;
                masked[(c * plane) + i] = mask[i] < 0.5f ? v : 0f;
            }
        }

        bool guided = options.GuidanceScale > 1f;
        var embeddings = Embed(options, guided, cancellationToken);
        float[] maskedLatents = Scale(Encode(masked, cancellationToken), _scalingFactor);
        float[] latentMask = DownsampleNearest(mask, Size, latentSize);

        var scheduler = Schedulers.Create(_scheduler, options.Scheduler is { } kind ? Settings.SettingNames.NameOf(kind) : null);
        scheduler.SetTimesteps(options.Steps);
        int start = options.Strength >= 1f ? 0 : Math.Max(options.Steps - Math.Min((int)(options.Steps * options.Strength), options.Steps), 0);
        var noise = new GaussianNoise(options.Seed);
        float[] initialNoise = noise.Next(4 * latentPlane);
        float[] latents = options.Strength >= 1f
            ? Scale(initialNoise, (float)scheduler.InitNoiseSigma)
            : scheduler.AddNoise(Scale(Encode(pixels, cancellationToken), _scalingFactor), initialNoise, start);

        int batch = guided ? 2 : 1;
        for (int index = start; index < scheduler.Timesteps.Count; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            float[] scaled = scheduler.ScaleModelInput(latents, index);
            // [latents(4) | mask(1) | masked-image latents(4)] per batch item.
            var unetInput = new float[batch * 9 * latentPlane];
            for (int b = 0; b < batch; b++)
            {
                int o = b * 9 * latentPlane;
                Array.Copy(scaled, 0, unetInput, o, 4 * latentPlane);
                Array.Copy(latentMask, 0, unetInput, o + (4 * latentPlane), latentPlane);
                Array.Copy(maskedLatents, 0, unetInput, o + (5 * latentPlane), 4 * latentPlane);
            }

            float[] prediction = RunUnet(unetInput, batch, latentSize, scheduler.Timesteps[index], embeddings, cancellationToken);
            float[] noisePrediction = guided ? Guide(prediction, options.GuidanceScale) : prediction;
            latents = scheduler.Step(noisePrediction, index, latents, noise.Next);
            progress?.Report((index - start + 1, scheduler.Timesteps.Count - start));
        }

        var decoded = _vaeDecoder.Run(
            new Dictionary<string, TensorData<float>> { ["latent_sample"] = new(Scale(latents, 1f / _scalingFactor), [1, 4, latentSize, latentSize]) },
            cancellationToken: cancellationToken).Values.First().Data;
        var generated = new RgbImage(Size, Size);
        for (int i = 0; i < plane; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                float v = Math.Clamp((decoded[(c * plane) + i] / 2f) + 0.5f, 0f, 1f);
                generated.Pixels[(i * 3) + c] = (byte)MathF.Round(v * 255f);
            }
        }

        var edited = window.Paste(image, PilBilinear.Resize(generated, window.Width, window.Height));
        return Compositor.Blend(image, edited, alpha);
    }

    /// <summary>[negative; positive] text embeddings with guidance, else the positive ones alone.</summary>
    private TensorData<float> Embed(InpaintOptions request, bool guided, CancellationToken cancellationToken)
    {
        float[] Run(string text)
        {
            long[] ids = [.. _tokenizer.EncodeForModel(text).Select(i => (long)i)];
            return _textEncoder.Run(
                new Dictionary<string, TensorData<float>>(),
                new Dictionary<string, TensorData<long>> { ["input_ids"] = new(ids, [1, ids.Length]) },
                [_textEncoder.Outputs.Keys.First()],
                cancellationToken).Values.First().Data;
        }

        float[] positive = Run(request.Prompt);
        int hidden = positive.Length / _tokenizer.MaxLength;
        if (!guided)
        {
            return new TensorData<float>(positive, [1, _tokenizer.MaxLength, hidden]);
        }

        float[] negative = Run(request.NegativePrompt);
        return new TensorData<float>([.. negative, .. positive], [2, _tokenizer.MaxLength, hidden]);
    }

    private float[] Encode(float[] image, CancellationToken cancellationToken) =>
        _vaeEncoder.Run(new Dictionary<string, TensorData<float>> { ["sample"] = new(image, [1, 3, Size, Size]) }, cancellationToken: cancellationToken).Values.First().Data;

    private float[] RunUnet(float[] input, int batch, int latentSize, double timestep, TensorData<float> embeddings, CancellationToken cancellationToken)
    {
        var floats = new Dictionary<string, TensorData<float>>
        {
            ["sample"] = new(input, [batch, 9, latentSize, latentSize]),
            ["encoder_hidden_states"] = embeddings,
        };
        Dictionary<string, TensorData<long>>? longs = null;
        // The timestep's dtype is the export's choice: float32 in diffusers' exports, int64 in some others.
        if (_timestepIsInteger)
        {
            longs = new() { ["timestep"] = new([(long)Math.Round(timestep)], [1]) };
        }
        else
        {
            floats["timestep"] = new([(float)timestep], [1]);
        }

        return _unet.Run(floats, longs, [_unet.Outputs.Keys.First()], cancellationToken).Values.First().Data;
    }

    /// <summary>torch.nn.functional.interpolate(mask, size) with the default nearest mode: source index floor(i · in / out).</summary>
    internal static float[] DownsampleNearest(float[] mask, int size, int outSize)
    {
        var result = new float[outSize * outSize];
        float scale = (float)size / outSize;
        for (int y = 0; y < outSize; y++)
        {
            int sy = Math.Min(size - 1, (int)MathF.Floor(y * scale));
            for (int x = 0; x < outSize; x++)
            {
                int sx = Math.Min(size - 1, (int)MathF.Floor(x * scale));
                result[(y * outSize) + x] = mask[(sy * size) + sx];
            }
        }

        return result;
    }

    private static float[] Scale(float[] values, float factor)
    {
        var scaled = new float[values.Length];
        TensorPrimitives.Multiply(values, factor, scaled);
        return scaled;
    }

    /// <summary>A component's config.json, or null when the file is absent.</summary>
    private static DiffusersConfig? ComponentConfig(string path) =>
        File.Exists(path) ? ModelConfigFile.Read(path, ModelConfigJsonContext.Default.DiffusersConfig) : null;

    /// <inheritdoc />
    public void Dispose()
    {
        _textEncoder.Dispose();
        _unet.Dispose();
        _vaeEncoder.Dispose();
        _vaeDecoder.Dispose();
    }
}
