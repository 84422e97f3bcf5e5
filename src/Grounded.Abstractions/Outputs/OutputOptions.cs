using Grounded.Settings;

namespace Grounded.Outputs;

/// <summary>What a run writes, where, and how many images it keeps in flight. Validated when built.</summary>
public sealed record OutputOptions
{
    private readonly OutputFormats _formats = OutputFormats.Default;
    private readonly int _parallelism = 2;

    /// <summary>What to write for each image (default overlay, masks, cutouts, json, gsa).</summary>
    public OutputFormats Formats
    {
        get => _formats;
        init => _formats = (value & ~OutputFormats.All) == 0 ? value : throw new InvalidSettingException("formats", $"formats are {SettingNames.Choices(typeof(OutputFormats))}.");
    }

    /// <summary>Where outputs go, one folder per image; null writes nothing (the CLI's default is grounded-out).</summary>
    [SettingName("dir")]
    public string? Directory { get; init; }

    /// <summary>Images in flight at once (1..64, default 2: one loads and writes while another runs the models).</summary>
    public int Parallelism
    {
        get => _parallelism;
        init => _parallelism = Check.Range(value, "parallelism", 1, 64);
    }

    /// <summary>The defaults.</summary>
    public static OutputOptions Default { get; } = new();
}
