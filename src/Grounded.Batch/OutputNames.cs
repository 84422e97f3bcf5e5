namespace Grounded.Batch;

/// <summary>One output folder name per input: the file's stem, disambiguated when two inputs share one.</summary>
public static class OutputNames
{
    /// <summary>Names for the inputs, in order.</summary>
    public static IReadOnlyList<string> For(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var stems = paths.Select(p => Path.GetFileNameWithoutExtension(p)).ToList();
        var counts = stems.GroupBy(s => s, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var names = new List<string>(paths.Count);
        for (int i = 0; i < paths.Count; i++)
        {
            string name = counts[stems[i]] == 1 ? stems[i] : stems[i] + "_" + Path.GetExtension(paths[i]).TrimStart('.');
            string unique = name;
            for (int n = 2; !used.Add(unique); n++)
            {
                unique = $"{name}_{n}";
            }

            names.Add(unique);
        }

        return names;
    }
}
