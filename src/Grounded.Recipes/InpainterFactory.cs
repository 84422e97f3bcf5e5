using Grounded.Inpaint;
using Grounded.Inpaint.Classical;
using Grounded.Inpaint.Lama;
using Grounded.Inpaint.StableDiffusion;

namespace Grounded.Recipes;

/// <summary>The three inpainters behind one interface, by kind.</summary>
public static class InpainterFactory
{
    /// <summary>Creates an inpainter: classical needs no model; lama and sd need a model folder (or file, for LaMa).</summary>
    public static IInpainter Create(InpainterKind kind, string? model, RuntimeOptions runtime) => kind switch
    {
        InpainterKind.Classical => new TeleaInpainter(),
        InpainterKind.Lama => LamaInpainter.Create(model ?? throw new InvalidRequestException("The lama inpainter needs a model (--inpaint-model or 'grounded models pull lama')."), runtime),
        InpainterKind.StableDiffusion => StableDiffusionInpainter.Create(model ?? throw new InvalidRequestException("The sd inpainter needs a model (--inpaint-model or 'grounded models pull sd-inpainting')."), runtime),
        _ => throw new InvalidRequestException($"Unknown inpainter '{kind}'."),
    };

    /// <summary>The model set an inpainter kind uses by default.</summary>
    public static string? DefaultSet(InpainterKind kind) => kind switch
    {
        InpainterKind.Lama => "lama",
        InpainterKind.StableDiffusion => "sd-inpainting",
        _ => null,
    };
}
