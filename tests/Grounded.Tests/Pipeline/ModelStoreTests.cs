using System.Security.Cryptography;
using Grounded.Models;
using Grounded.Tests.Support;

namespace Grounded.Tests.Pipeline;

/// <summary>Downloads against a local HTTP server: progress, resume by range request, SHA-256 checks, lock file.</summary>
public sealed class ModelStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("grounded-store-").FullName;
    private readonly LoopbackFileServer _server = new();
    private readonly byte[] _model = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
    private readonly byte[] _vocab = "[PAD]\n[UNK]\n"u8.ToArray();

    public ModelStoreTests()
    {
        _server.Add("/org/repo/resolve/abc123/onnx/model.onnx", _model);
        _server.Add("/org/repo/resolve/abc123/vocab.txt", _vocab);
    }

    private ModelSet Set(string? modelSha = null) => new()
    {
        Name = "test-set",
        Kind = "detector",
        Repo = "org/repo",
        Revision = "abc123",
        Files = [new ModelFileEntry { Path = "vocab.txt" }, new ModelFileEntry { Path = "onnx/model.onnx", Sha256 = modelSha }],
    };

    [Fact]
    public async Task A_broken_download_resumes_with_a_range_request_and_is_recorded_in_the_lock_file()
    {
        var store = new ModelStore(_root, endpoint: _server.BaseUrl);
        var set = Set(Convert.ToHexStringLower(SHA256.HashData(_model)));
        _server.CutPath = "/org/repo/resolve/abc123/onnx/model.onnx";
        _server.CutNextResponseAfter = 1024 * 1024; // the model breaks off after 1 MiB
        var broken = await Assert.ThrowsAsync<ModelsUnavailableException>(() => store.PullAsync(set));
        Assert.Contains("resume", broken.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_root, "test-set", "onnx", "model.onnx.part")));

        var reports = new List<DownloadProgress>();
        await store.PullAsync(set, new SyncProgress<DownloadProgress>(reports.Add));

        Assert.Equal(_model, File.ReadAllBytes(Path.Combine(_root, "test-set", "onnx", "model.onnx")));
        Assert.Contains(_server.RangeHeaders, h => h is not null && h.StartsWith("bytes=", StringComparison.Ordinal) && h != "bytes=0-");
        Assert.Equal(_model.Length, reports[^1].Received);
        Assert.Equal(_model.Length, reports[^1].Total);
        Assert.False(File.Exists(Path.Combine(_root, "test-set", "onnx", "model.onnx.part")));
        string lockText = File.ReadAllText(Path.Combine(_root, "test-set", "grounded.lock.json"));
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(_model)), lockText, StringComparison.Ordinal);
        Assert.Contains("abc123", lockText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Later_loads_verify_against_the_lock_file()
    {
        var store = new ModelStore(_root, endpoint: _server.BaseUrl);
        var set = Set();
        string folder = await store.EnsureAsync(set, allowDownload: true);
        Assert.Contains(store.Verify(set, rehashAll: true), line => line.StartsWith("verified onnx/model.onnx", StringComparison.Ordinal));

        string model = Path.Combine(folder, "onnx", "model.onnx");
        File.AppendAllText(model, "tampered");

        var ex = Assert.Throws<ModelsUnavailableException>(() => store.Verify(set, rehashAll: false));
        Assert.Contains("changed since it was verified", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_download_with_the_wrong_sha256_is_refused_and_removed()
    {
        var store = new ModelStore(_root, endpoint: _server.BaseUrl);

        var ex = await Assert.ThrowsAsync<ModelsUnavailableException>(() => store.PullAsync(Set(new string('0', 64))));

        Assert.Contains("expected 0000", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "test-set", "onnx", "model.onnx")));
        Assert.False(File.Exists(Path.Combine(_root, "test-set", "onnx", "model.onnx.part")));
    }

    [Fact]
    public async Task Offline_the_error_lists_urls_and_destinations()
    {
        // Port 9 (discard) on loopback: nothing listens, so the connection is refused at once.
        string closed = new UriBuilder(Uri.UriSchemeHttp, "127.0.0.1", 9).Uri.ToString().TrimEnd('/');
        var store = new ModelStore(_root, endpoint: closed);

        var ex = await Assert.ThrowsAsync<ModelsUnavailableException>(() => store.EnsureAsync(Set(), allowDownload: true));

        Assert.Contains(closed + "/org/repo/resolve/abc123/onnx/model.onnx", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_root, "test-set", "vocab.txt"), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_built_in_manifest_names_the_required_sets_and_defaults()
    {
        var manifest = ModelManifest.Load();

        foreach (string repo in new[] { "onnx-community/grounding-dino-tiny-ONNX", "Xenova/slimsam-77-uniform", "Xenova/sam-vit-base", "Acly/MobileSAM" })
        {
            Assert.Contains(manifest.Sets, s => s.Repo == repo);
        }

        Assert.Contains(manifest.Sets, s => s.ModelFile == "model_int8.onnx");
        Assert.Equal("detector", manifest.Default("detector").Kind);
        Assert.Equal("segmenter", manifest.Default("segmenter").Kind);
        Assert.Contains(manifest.Get("mobilesam").Files, f => f.Path == "sam_mask_decoder_multi.onnx");
    }

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_root, true);
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
