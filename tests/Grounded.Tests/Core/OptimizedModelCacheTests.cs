using Grounded.Onnx;
using Grounded.Tensors;
using Grounded.Tests.Support;

namespace Grounded.Tests.Core;

/// <summary>ONNX Runtime's optimised copy of a model, kept between processes: same answers, rebuilt when stale or broken.</summary>
public sealed class OptimizedModelCacheTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("grounded-optimized-");

    private RuntimeOptions Cpu => new() { Device = ExecutionDevice.Cpu, IntraOpThreads = 1, OptimizedModelCache = Path.Combine(_folder.FullName, "cache") };

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void The_second_open_loads_the_saved_copy_and_answers_the_same()
    {
        string model = CopyOf("decoder.onnx");
        var uncached = Decode(model, Cpu with { OptimizedModelCache = string.Empty });

        var first = Decode(model, Cpu);
        string saved = OptimizedModelCache.PathFor(model, Cpu)!;
        Assert.True(File.Exists(saved));
        var writeTime = File.GetLastWriteTimeUtc(saved);
        var second = Decode(model, Cpu);

        Assert.Equal(writeTime, File.GetLastWriteTimeUtc(saved)); // read, not written again
        Assert.Equal(uncached, first);
        Assert.Equal(uncached, second);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(saved)!)); // no temporary left behind
    }

    [Fact]
    public void A_broken_copy_is_replaced_and_a_changed_model_gets_a_new_one()
    {
        string model = CopyOf("decoder.onnx");
        var expected = Decode(model, Cpu);
        string saved = OptimizedModelCache.PathFor(model, Cpu)!;
        File.WriteAllBytes(saved, [0x0A, 0x05, 1, 2]); // truncated, as by a crash or a full disk

        Assert.Equal(expected, Decode(model, Cpu));
        Assert.True(new FileInfo(saved).Length > 1000);

        File.WriteAllBytes(model + ".data", [1, 2, 3]); // weights kept beside the model change the key too
        string withData = OptimizedModelCache.PathFor(model, Cpu)!;
        Assert.NotEqual(saved, withData);
        File.Delete(model + ".data");
        Assert.Equal(saved, OptimizedModelCache.PathFor(model, Cpu));

        var time = File.GetLastWriteTimeUtc(model);
        var bytes = File.ReadAllBytes(model);
        bytes[^1] ^= 0xFF; // same name, size and time, other content
        File.WriteAllBytes(model, bytes);
        File.SetLastWriteTimeUtc(model, time);
        Assert.NotEqual(saved, OptimizedModelCache.PathFor(model, Cpu));
    }

    [Fact]
    public void A_cache_that_cannot_be_written_or_is_turned_off_leaves_sessions_working()
    {
        string model = CopyOf("decoder.onnx");
        string blocked = Path.Combine(_folder.FullName, "blocked");
        File.WriteAllText(blocked, "a file where the cache folder would be");
        var expected = Decode(model, Cpu with { OptimizedModelCache = string.Empty });

        Assert.Equal(expected, Decode(model, Cpu with { OptimizedModelCache = blocked }));
        Assert.Null(OptimizedModelCache.PathFor(model, Cpu with { OptimizedModelCache = string.Empty }));
        Assert.False(Directory.Exists(Path.Combine(_folder.FullName, "cache")));
    }

    [Fact]
    public void The_cache_keeps_only_the_newest_copies()
    {
        string cache = Path.Combine(_folder.FullName, "many");
        Directory.CreateDirectory(cache);
        for (int i = 0; i < OptimizedModelCache.KeptCopies + 5; i++)
        {
            string copy = Path.Combine(cache, $"model-{i:00}.onnx");
            File.WriteAllBytes(copy, [1, 2, 3]);
            File.SetLastWriteTimeUtc(copy, DateTime.UtcNow.AddMinutes(i));
        }

        OptimizedModelCache.Prune(cache);

        var left = Directory.GetFiles(cache).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(OptimizedModelCache.KeptCopies, left.Count);
        Assert.Equal("model-05.onnx", left[0]);
    }

    private string CopyOf(string name)
    {
        string path = Path.Combine(_folder.FullName, name);
        File.Copy(Fixtures.Path("sam-official", name), path);
        return path;
    }

    /// <summary>The fixture decoder's outputs for one fixed prompt, as one SHA-256.</summary>
    private static string Decode(string model, RuntimeOptions runtime)
    {
        using var decoder = OnnxModel.Open(model, runtime);
        var embedding = new float[32 * 64 * 64];
        for (int i = 0; i < embedding.Length; i++)
        {
            embedding[i] = MathF.Sin(i * 0.37f);
        }

        var outputs = decoder.Run(new Dictionary<string, TensorData<float>>
        {
            ["image_embeddings"] = new(embedding, [1, 32, 64, 64]),
            ["point_coords"] = new([300f, 200f, 0f, 0f], [1, 2, 2]),
            ["point_labels"] = new([1f, -1f], [1, 2]),
            ["mask_input"] = new(new float[256 * 256], [1, 1, 256, 256]),
            ["has_mask_input"] = new([0f], [1]),
            ["orig_im_size"] = new([300f, 450f], [2]),
        });
        return Fixtures.Sha256([.. outputs["iou_predictions"].Data, .. outputs["low_res_masks"].Data, .. outputs["masks"].Data]);
    }
}
