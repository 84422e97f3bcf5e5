namespace Grounded;

/// <summary>Where models run: <c>auto</c> (CUDA when it loads, else CPU), <c>cpu</c>, or <c>cuda[:N]</c>.</summary>
public readonly record struct ExecutionDevice(ExecutionDeviceKind Kind, int DeviceId = 0)
{
    /// <summary>Try CUDA device 0, fall back to CPU.</summary>
    public static ExecutionDevice Auto => new(ExecutionDeviceKind.Auto);

    /// <summary>The CPU provider.</summary>
    public static ExecutionDevice Cpu => new(ExecutionDeviceKind.Cpu);

    /// <summary>Parses "auto", "cpu", "cuda" or "cuda:N".</summary>
    public static ExecutionDevice Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim().ToLowerInvariant();
        if (t == "auto")
        {
            return Auto;
        }

        if (t == "cpu")
        {
            return Cpu;
        }

        if (t == "cuda" || t == "gpu")
        {
            return new ExecutionDevice(ExecutionDeviceKind.Cuda, 0);
        }

        if (t.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(t.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int id))
        {
            return new ExecutionDevice(ExecutionDeviceKind.Cuda, id);
        }

        throw new Settings.InvalidSettingException("device", $"device is auto, cpu, cuda or cuda:N; got '{text}'.");
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ExecutionDeviceKind.Auto => "auto",
        ExecutionDeviceKind.Cpu => "cpu",
        _ => FormattableString.Invariant($"cuda:{DeviceId}"),
    };
}

/// <summary>The kinds of <see cref="ExecutionDevice"/>.</summary>
public enum ExecutionDeviceKind
{
    /// <summary>CUDA when available, else CPU.</summary>
    Auto,

    /// <summary>CPU only.</summary>
    Cpu,

    /// <summary>CUDA only; failing to load it is an error.</summary>
    Cuda,
}
