using Grounded.Inpaint;
using Grounded.Inpaint.Classical;
using Grounded.Inpaint.Lama;
using Grounded.Inpaint.StableDiffusion;
using Grounded.Onnx;

namespace Grounded.Pipeline;

/// <summary>The three inpainters behind one interface, by name.</summary>
public static class InpainterFactory
{
    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["classical", "lama", "sd"];

    /// <summary>Creates an inpainter: classical needs no model; lama and sd need a model folder (or file, for LaMa).</summary>
    public static IInpainter Create(string kind, string? model, OnnxRuntimeOptions runtime, string? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(kind);
        switch (kind.ToLowerInvariant())
        {
            case "classical" or "telea":
                return new TeleaInpainter();
            case "lama":
                return LamaInpainter.Create(model ?? throw new InvalidRequestException("The lama inpainter needs a model (--inpaint-model or 'grounded models pull lama')."), runtime);
            case "sd" or "stable-diffusion":
                var sd = StableDiffusionInpainter.Create(model ?? throw new InvalidRequestException("The sd inpainter needs a model (--inpaint-model or 'grounded models pull sd-inpainting')."), runtime);
                sd.SchedulerName = scheduler;
                return sd;
            default:
                throw new InvalidRequestException($"Unknown inpainter '{kind}': use classical, lama or sd.");
        }
    }
}
