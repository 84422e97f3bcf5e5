using Grounded.Settings;

namespace Grounded.Inpaint;

/// <summary>Stable Diffusion's noise schedulers.</summary>
public enum SchedulerKind
{
    /// <summary>DDIM (deterministic).</summary>
    [SettingName("ddim")]
    Ddim,

    /// <summary>Euler ancestral (adds noise each step).</summary>
    [SettingName("euler-ancestral", "euler_a", "euler-a")]
    EulerAncestral,
}
