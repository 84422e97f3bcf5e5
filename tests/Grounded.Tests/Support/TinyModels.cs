using static Grounded.Tests.Support.OnnxGraphBuilder;

namespace Grounded.Tests.Support;

/// <summary>Tiny inpainting graphs with real contracts, shared by the CLI and agent tests.</summary>
internal static class TinyModels
{
    /// <summary>A LaMa contract at 64×64 that fills the hole with mid-gray.</summary>
    public static string Lama(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var g = new OnnxGraphBuilder().Input("image", Float, 1, 3, 64, 64).Input("mask", Float, 1, 1, 64, 64).Output("output", Float, 1, 3, 64, 64);
            string keep = g.Node("Sub", [g.Constant([1f], 1), "mask"]);
            g.Node("Add", [g.Node("Mul", ["image", keep]), g.Node("Mul", ["mask", g.Constant([0.5f], 1)])], "output");
            g.Save(path);
        }

        return path;
    }
}
