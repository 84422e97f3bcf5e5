namespace Grounded.Inpaint.StableDiffusion;

/// <summary>Creates the scheduler a config names.</summary>
public static class Schedulers
{
    /// <summary>DDIM for DDIMScheduler (and PNDM/LMS/DPM configs, whose schedule it shares); Euler-ancestral for Euler configs.</summary>
    public static IDiffusionScheduler Create(SchedulerConfig config, string? overrideName = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        string name = (overrideName ?? config.ClassName).ToLowerInvariant();
        return name.Contains("euler", StringComparison.Ordinal)
            ? new EulerAncestralScheduler(config)
            : new DdimScheduler(config);
    }
}
