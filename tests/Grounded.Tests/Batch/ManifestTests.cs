using Grounded.Batch.Inputs;

namespace Grounded.Tests.Batch;

/// <summary>Manifests: paths relative to the manifest, URLs, ids as keys, and errors that name the line.</summary>
public sealed class ManifestTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-manifest-").FullName;

    [Fact]
    public void A_text_manifest_gives_paths_relative_to_itself_and_urls()
    {
        // Reading a manifest fetches nothing; the host is one that never resolves (.invalid) all the same.
        string manifest = Write("list.txt", "# images\nimgs/a/cat.png\n\n  imgs/b/cat.png  \nhttps://images.example.invalid/data/dog.jpg?sig=1\n");

        var inputs = InputExpander.Inputs(manifest);

        Assert.Equal(["imgs/a/cat.png", "imgs/b/cat.png"], inputs.Take(2).Select(i => i.Key));
        Assert.StartsWith("images.example.invalid/data/dog.jpg_", inputs[2].Key, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(_dir, "imgs", "a", "cat.png"), inputs[0].Source);
        Assert.True(inputs[2].IsUrl);
        Assert.Equal(["imgs/a/cat", "imgs/b/cat", inputs[2].Key], OutputNames.For(inputs));
    }

    [Fact]
    public void A_jsonl_manifest_keys_images_by_id()
    {
        string manifest = Write("list.jsonl", "{\"image\": \"x/cat.png\", \"id\": \"cat-1\", \"extra\": [1]}\n{\"image\": \"y/cat.png\"}\n{\"image\": \"z.png\", \"id\": 7}\n");

        var inputs = Manifest.Read(manifest);

        Assert.Equal(["cat-1", "y/cat.png", "7"], inputs.Select(i => i.Key));
        Assert.Equal(Path.Combine(_dir, "y", "cat.png"), inputs[1].Source);
    }

    [Theory]
    [InlineData("list.jsonl", "{\"id\": 1}\n", ":1: the line has no \"image\"")]
    [InlineData("list.jsonl", "{\"image\": \"a.png\"}\nnot json\n", ":2:")]
    [InlineData("list.jsonl", "[1, 2]\n", ":1: each line must be a JSON object")]
    [InlineData("list.txt", "a.png\nftp://host/b.png\n", ":2: 'ftp://host/b.png' is neither")]
    public void Bad_lines_are_errors_that_name_the_line(string name, string text, string expected)
    {
        string manifest = Write(name, text);
        var error = Assert.Throws<InvalidRequestException>(() => Manifest.Read(manifest));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Same_named_images_in_different_folders_get_their_own_output_folders()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "in", "a"));
        Directory.CreateDirectory(Path.Combine(_dir, "in", "b"));
        File.WriteAllBytes(Path.Combine(_dir, "in", "a", "cat.png"), [1]);
        File.WriteAllBytes(Path.Combine(_dir, "in", "b", "cat.png"), [2]);
        File.WriteAllBytes(Path.Combine(_dir, "in", "b", "cat.jpg"), [3]);

        var inputs = InputExpander.Inputs(Path.Combine(_dir, "in"), recursive: true);

        Assert.Equal(["a/cat.png", "b/cat.jpg", "b/cat.png"], inputs.Select(i => i.Key));
        Assert.Equal(["a/cat", "b/cat_jpg", "b/cat_png"], OutputNames.For(inputs));
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
