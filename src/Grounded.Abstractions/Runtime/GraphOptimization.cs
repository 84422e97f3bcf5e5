using Grounded.Settings;

namespace Grounded;

/// <summary>How much the runtime rewrites a model's graph before running it.</summary>
public enum GraphOptimization
{
    /// <summary>Every optimisation, layout changes included (the default).</summary>
    [SettingName("all")]
    All,

    /// <summary>Node fusions, no layout changes.</summary>
    [SettingName("extended")]
    Extended,

    /// <summary>Constant folding and redundant-node removal only.</summary>
    [SettingName("basic")]
    Basic,

    /// <summary>The graph as exported (for exports that an optimisation breaks).</summary>
    [SettingName("disabled", "none", "off")]
    Disabled,
}
