using Grounded.Agents;
using System.Text.Json;

namespace Grounded.Tests.Agents;

/// <summary>An agent is an untrusted caller: every way out of the sandbox is refused with a readable error.</summary>
public sealed class SandboxTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    [Fact]
    public async Task Parent_directory_traversal_is_refused() =>
        await AssertRefused("../outputs/../../etc/hostname", "outside the allowed input folders");

    [Fact]
    public async Task An_absolute_path_outside_is_refused() =>
        await AssertRefused("/etc/passwd", "outside the allowed input folders");

    [Fact]
    public async Task A_symlink_out_of_the_sandbox_is_refused()
    {
        string outside = Path.Combine(fixture.Root, "secret.png");
        File.Copy(Path.Combine(fixture.Inputs, "cat.png"), outside, overwrite: true);
        string link = Path.Combine(fixture.Inputs, "innocent.png");
        if (!File.Exists(link))
        {
            File.CreateSymbolicLink(link, outside);
        }

        await AssertRefused("innocent.png", "outside the allowed input folders");
    }

    [Fact]
    public async Task A_symlinked_folder_out_of_the_sandbox_is_refused()
    {
        string link = Path.Combine(fixture.Inputs, "escape");
        if (!Directory.Exists(link))
        {
            Directory.CreateSymbolicLink(link, fixture.Root);
        }

        await AssertRefused("escape/inputs/../secret-elsewhere.png", "outside the allowed input folders");
        await AssertRefused("escape/outputs", "outside the allowed input folders");
    }

    [Fact]
    public async Task A_directory_is_refused()
    {
        Directory.CreateDirectory(Path.Combine(fixture.Inputs, "album"));

        await AssertRefused("album", "is a directory");
    }

    [Fact]
    public async Task A_one_gigabyte_file_is_refused()
    {
        string path = Path.Combine(fixture.Inputs, "huge.png");
        using (var stream = File.Create(path))
        {
            stream.SetLength(1L << 30); // sparse: costs no disk
        }

        await AssertRefused("huge.png", "over the limit");
    }

    [Fact]
    public async Task A_file_that_is_not_an_image_is_refused()
    {
        File.WriteAllText(Path.Combine(fixture.Inputs, "notes.png"), "not pixels");

        await AssertRefused("notes.png", "not an image");
    }

    [Fact]
    public async Task An_empty_prompt_is_refused() => await AssertRefused("cat.png", "prompt is empty", prompt: "  ");

    private async Task AssertRefused(string image, string reason, string prompt = "bear")
    {
        var before = Snapshot(fixture.Root);

        string answer = await fixture.Plugin.InvokeAsync("segment_objects", new Dictionary<string, object?> { ["image"] = image, ["prompt"] = prompt });

        using var doc = JsonDocument.Parse(answer);
        Assert.Contains(reason, doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        // Nothing written anywhere (outputs are only created once an input is accepted).
        Assert.Equal(before, Snapshot(fixture.Root));
    }

    private static string[] Snapshot(string root) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }).Order(StringComparer.Ordinal)];
}
