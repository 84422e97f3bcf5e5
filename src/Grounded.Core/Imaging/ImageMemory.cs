using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Memory;

namespace Grounded.Imaging;

/// <summary>
/// The ImageSharp configuration Grounded decodes and encodes with: images live in ImageSharp's unmanaged chunks,
/// which are freed when the image is disposed (only 64 MB are kept pooled). The default pool would keep a
/// 10000×10000 image's buffers for the rest of the run, and managed arrays that size wait for a full GC.
/// </summary>
public static class ImageMemory
{
    /// <summary>The configuration.</summary>
    public static Configuration Configuration { get; } = Create();

    private static Configuration Create()
    {
        var configuration = Configuration.Default.Clone();
        configuration.MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { MaximumPoolSizeMegabytes = 64 });
        return configuration;
    }
}
