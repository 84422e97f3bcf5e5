namespace Grounded.Batch.Inputs;

/// <summary>
/// One output folder per input, from its key: the key without its image extension ("a/cat.png" → a/cat), so
/// images of the same name in different folders never share one. The names depend only on the keys of the whole
/// input list, never on which shard runs them, so every shard of a run picks the same folder for an image.
/// </summary>
public static class OutputNames
{
    /// <summary>Names for the inputs, in order.</summary>
    public static IReadOnlyList<string> For(IReadOnlyList<BatchInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var stems = inputs.Select(i => Stem(i.Key)).ToList();
        var counts = stems.GroupBy(s => s, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        // A name that is also a folder above another name ("cat" beside "cat/x") would hold that image's folder inside its own.
        var parents = new HashSet<string>(stems.SelectMany(Ancestors), StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var names = new List<string>(inputs.Count);
        for (int i = 0; i < inputs.Count; i++)
        {
            string stem = stems[i];
            string name = counts[stem] == 1 && !parents.Contains(stem) ? stem : stem + "_" + Suffix(inputs[i].Key, stem);
            string unique = name;
            for (int n = 2; !used.Add(unique) || parents.Contains(unique); n++)
            {
                unique = $"{name}_{n}";
            }

            names.Add(unique);
        }

        return names;
    }

    private static string Stem(string key) => InputExpander.IsImagePath(key) ? key[..^Path.GetExtension(key).Length] : key;

    private static string Suffix(string key, string stem) => key.Length > stem.Length ? key[(stem.Length + 1)..] : "item";

    private static IEnumerable<string> Ancestors(string name)
    {
        for (int slash = name.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = name.IndexOf('/', slash + 1))
        {
            yield return name[..slash];
        }
    }
}
