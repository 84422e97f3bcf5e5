namespace Grounded.Outputs;

/// <summary>Distinct colours for objects (matplotlib's tab10, then tab20's lighter half).</summary>
internal static class Palette
{
    private static readonly (byte R, byte G, byte B)[] Colors =
    [
        (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
        (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
        (174, 199, 232), (255, 187, 120), (152, 223, 138), (255, 152, 150), (197, 176, 213),
        (196, 156, 148), (247, 182, 210), (199, 199, 199), (219, 219, 141), (158, 218, 229),
    ];

    public static (byte R, byte G, byte B) Of(int index) => Colors[index % Colors.Length];
}
