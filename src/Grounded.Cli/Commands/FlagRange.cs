namespace Grounded.Cli.Commands;

/// <summary>Range checks of the server commands' numeric flags, each a one-line usage error naming the flag.</summary>
internal static class FlagRange
{
    public static int? Check(int? value, string flag, int min, int max) =>
        value is null || (value >= min && value <= max) ? value : throw new InvalidRequestException($"{flag} must be {min} to {max}, not {value}.");

    /// <summary>--max-pixels: 1 to a billion.</summary>
    public static long? MaxPixels(long? value) =>
        value is null or (>= 1 and <= 1_000_000_000) ? value : throw new InvalidRequestException("--max-pixels must be 1 to 1000000000.");
}
