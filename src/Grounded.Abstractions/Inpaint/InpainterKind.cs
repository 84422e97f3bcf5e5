using Grounded.Settings;

namespace Grounded.Inpaint;

/// <summary>The inpainters Grounded ships.</summary>
public enum InpainterKind
{
    /// <summary>OpenCV's Telea fast-marching fill: no model.</summary>
    [SettingName("classical", "telea")]
    Classical,

    /// <summary>LaMa (object removal).</summary>
    [SettingName("lama")]
    Lama,

    /// <summary>Stable Diffusion inpainting (replace with a prompt).</summary>
    [SettingName("sd", "stable-diffusion")]
    StableDiffusion,
}
