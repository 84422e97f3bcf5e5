using System.Text;
using Grounded.Outputs;
using Grounded.Results;

namespace Grounded.Agents;

/// <summary>Turns a call's result into the compact answer: bounded, printable labels, boxes clipped to the image, file paths by kind.</summary>
internal static class AgentAnswers
{
    private const int MaxLabelLength = 100;

    private static readonly string[] SpecialTokens = ["[CLS]", "[SEP]", "[PAD]", "[MASK]", "[UNK]"];

    public static AgentResult Summarize(ImageResult result, int found, string folder, OutputFormats formats, List<string> notes, bool inpainted)
    {
        var files = new Dictionary<string, object>();
        if (formats.HasFlag(OutputFormats.Overlay))
        {
            files["overlay"] = Path.Combine(folder, "overlay.png");
        }

        if (formats.HasFlag(OutputFormats.Json))
        {
            files["results"] = Path.Combine(folder, ImageOutputWriter.CompletionMarker);
        }

        var withMasks = Enumerable.Range(0, result.Objects.Count).Where(i => result.Objects[i].Mask is not null).ToList();
        if (formats.HasFlag(OutputFormats.Masks) && withMasks.Count > 0)
        {
            files["masks"] = withMasks.Select(i => Path.Combine(folder, "masks", $"{i:00}.png")).ToList();
        }

        if (formats.HasFlag(OutputFormats.Cutouts) && withMasks.Count > 0)
        {
            files["cutouts"] = withMasks.Select(i => Path.Combine(folder, "cutouts", $"{i:00}.png")).ToList();
        }

        if (inpainted)
        {
            files["inpainted"] = Path.Combine(folder, "inpainted.png");
        }

        return new AgentResult
        {
            Image = Bounded(result.ImagePath, 300),
            Width = result.Width,
            Height = result.Height,
            Count = found,
            Objects = [.. result.Objects.Select(o => (o, box: o.Box.ClipTo(result.Width, result.Height))).Select(x => new AgentObject(Label(x.o.Label), Math.Round(x.o.Score, 3), [(int)Math.Round(x.box.X0), (int)Math.Round(x.box.Y0), (int)Math.Round(x.box.X1), (int)Math.Round(x.box.Y1)], x.o.Mask?.Area()))],
            Files = files,
            Notes = notes.Count > 0 ? [.. notes.Distinct().Select(n => Bounded(n, 300))] : null,
        };
    }

    /// <summary>A label as the model should read it: no tokenizer markers or control characters, spaces collapsed, at most 100 characters.</summary>
    public static string Label(string label)
    {
        foreach (string token in SpecialTokens)
        {
            label = label.Replace(token, " ", StringComparison.OrdinalIgnoreCase);
        }

        var text = new StringBuilder(label.Length);
        foreach (char c in label)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                if (text.Length > 0 && text[^1] != ' ')
                {
                    text.Append(' ');
                }
            }
            else
            {
                text.Append(c);
            }
        }

        string clean = text.ToString().Trim();
        return Bounded(clean.Length == 0 ? "object" : clean, MaxLabelLength);
    }

    private static string Bounded(string text, int max) => text.Length > max ? text[..max] + "…" : text;
}
