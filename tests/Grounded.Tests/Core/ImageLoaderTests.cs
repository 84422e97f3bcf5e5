using System.Buffers.Binary;
using Grounded.Imaging;
using Grounded.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace Grounded.Tests.Core;

public sealed class ImageLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-img-").FullName;

    // A 3x2 image whose six pixels all differ, so every rotation/flip is distinguishable.
    private static readonly Rgb24[,] Source =
    {
        { new(10, 0, 0), new(20, 0, 0), new(30, 0, 0) },
        { new(40, 0, 0), new(50, 0, 0), new(60, 0, 0) },
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Exif_orientation_is_applied_as_pil_exif_transpose(ushort orientation)
    {
        using var image = new Image<Rgb24>(3, 2);
        for (int y = 0; y < 2; y++)
        {
            for (int x = 0; x < 3; x++)
            {
                image[x, y] = Source[y, x];
            }
        }

        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, orientation);
        string path = Path.Combine(_dir, $"o{orientation}.png");
        image.SaveAsPng(path);

        var loaded = ImageLoader.Load(path);

        // Expected pixel at output (x, y), following the EXIF definitions (PIL: 2 FLIP_LEFT_RIGHT, 3 ROTATE_180,
        // 4 FLIP_TOP_BOTTOM, 5 TRANSPOSE, 6 ROTATE_270, 7 TRANSVERSE, 8 ROTATE_90).
        Func<int, int, Rgb24> expected = orientation switch
        {
            1 => (x, y) => Source[y, x],
            2 => (x, y) => Source[y, 2 - x],
            3 => (x, y) => Source[1 - y, 2 - x],
            4 => (x, y) => Source[1 - y, x],
            5 => (x, y) => Source[x, y],
            6 => (x, y) => Source[1 - x, y],
            7 => (x, y) => Source[1 - x, 2 - y],
            _ => (x, y) => Source[x, 2 - y],
        };
        bool swapped = orientation >= 5;
        Assert.Equal(swapped ? 2 : 3, loaded.Width);
        Assert.Equal(swapped ? 3 : 2, loaded.Height);
        for (int y = 0; y < loaded.Height; y++)
        {
            for (int x = 0; x < loaded.Width; x++)
            {
                Assert.Equal(expected(x, y).R, loaded.Pixels[(y * loaded.Width + x) * 3]);
            }
        }
    }

    [Fact]
    public void Grayscale_png_becomes_rgb_with_equal_channels()
    {
        using var image = new Image<L8>(4, 4, new L8(77));
        string path = Path.Combine(_dir, "gray.png");
        image.SaveAsPng(path, new PngEncoder { ColorType = PngColorType.Grayscale });

        var loaded = ImageLoader.Load(path);

        Assert.All(loaded.Pixels, b => Assert.Equal(77, b));
    }

    [Fact]
    public void Sixteen_bit_png_is_reduced_to_eight_bits()
    {
        using var image = new Image<Rgb48>(2, 2, new Rgb48(65535, 32896, 0));
        string path = Path.Combine(_dir, "deep.png");
        image.SaveAsPng(path, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Rgb });

        var loaded = ImageLoader.Load(path);

        Assert.Equal([255, 128, 0], loaded.Pixels[..3]);
    }

    [Fact]
    public void Alpha_is_dropped_like_pil_convert_rgb()
    {
        using var image = new Image<Rgba32>(2, 2, new Rgba32(200, 100, 50, 0));
        string path = Path.Combine(_dir, "alpha.png");
        image.SaveAsPng(path);

        var loaded = ImageLoader.Load(path);

        Assert.Equal([200, 100, 50], loaded.Pixels[..3]);
    }

    [Fact]
    public void Cmyk_jpeg_is_converted_to_rgb()
    {
        // 8x6: left half red, right half blue, saved by ImageMagick as a CMYK JPEG.
        var loaded = ImageLoader.Load(Fixtures.Path("inputs", "cmyk.jpg"));

        Assert.Equal((8, 6), (loaded.Width, loaded.Height));
        Assert.True(loaded.Pixels[0] > 200 && loaded.Pixels[2] < 60, "left is red");
        int right = (2 * 8 + 7) * 3;
        Assert.True(loaded.Pixels[right + 2] > 200 && loaded.Pixels[right] < 60, "right is blue");
    }

    [Fact]
    public void Truncated_file_is_a_clear_error()
    {
        byte[] png = File.ReadAllBytes(Fixtures.Path("images", "cat.png"));
        string path = Path.Combine(_dir, "truncated.png");
        File.WriteAllBytes(path, png[..(png.Length / 2)]);

        var ex = Assert.Throws<ImageLoadException>(() => ImageLoader.Load(path));
        Assert.Contains("truncated.png", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_an_image_is_a_clear_error()
    {
        string path = Path.Combine(_dir, "notes.png");
        File.WriteAllText(path, "these are not pixels");

        var ex = Assert.Throws<ImageLoadException>(() => ImageLoader.Load(path));
        Assert.Contains("not an image", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_and_directory_are_clear_errors()
    {
        Assert.Contains("does not exist", Assert.Throws<ImageLoadException>(() => ImageLoader.Load(Path.Combine(_dir, "nope.png"))).Message, StringComparison.Ordinal);
        Assert.Contains("directory", Assert.Throws<ImageLoadException>(() => ImageLoader.Load(_dir)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pipe_a_device_and_an_empty_file_are_refused_before_anything_opens_them()
    {
        string empty = Path.Combine(_dir, "empty.png");
        File.WriteAllBytes(empty, []);
        string pipe = Path.Combine(_dir, "pipe.png");
        Assert.Equal(0, (await Processes.RunAsync("mkfifo", pipe)).Code);

        // Opening the pipe would wait for a writer and /dev/zero would never end: both must answer at once.
        foreach (string path in new[] { empty, pipe, "/dev/zero" })
        {
            var load = Task.Run(() => ImageLoader.Load(path));
            var ex = await Assert.ThrowsAsync<ImageLoadException>(() => load.WaitAsync(TimeSpan.FromSeconds(30)));

            Assert.Contains("empty or not a regular file", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_link_is_judged_by_what_it_names()
    {
        string real = Path.Combine(_dir, "real.png");
        File.Copy(Fixtures.Path("images", "cat.png"), real);
        File.CreateSymbolicLink(Path.Combine(_dir, "good.png"), real);
        File.CreateSymbolicLink(Path.Combine(_dir, "broken.png"), Path.Combine(_dir, "gone.png"));
        File.CreateSymbolicLink(Path.Combine(_dir, "loop1.png"), Path.Combine(_dir, "loop2.png"));
        File.CreateSymbolicLink(Path.Combine(_dir, "loop2.png"), Path.Combine(_dir, "loop1.png"));

        Assert.Equal(450, ImageLoader.Load(Path.Combine(_dir, "good.png")).Width);
        Assert.Contains("does not exist (a link to a missing file)", Assert.Throws<ImageLoadException>(() => ImageLoader.Load(Path.Combine(_dir, "broken.png"))).Message, StringComparison.Ordinal);
        Assert.Contains("Cannot read image", Assert.Throws<ImageLoadException>(() => ImageLoader.Load(Path.Combine(_dir, "loop1.png"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decompression_bomb_is_rejected_from_its_header()
    {
        // A 60-byte PNG that claims 50,000 x 50,000 pixels: refused before any pixel is decoded.
        string path = Path.Combine(_dir, "bomb.png");
        File.WriteAllBytes(path, PngHeaderOnly(50_000, 50_000));

        var ex = Assert.Throws<ImageLoadException>(() => ImageLoader.Load(path));
        Assert.Contains("50000x50000", ex.Message, StringComparison.Ordinal);
        Assert.Contains("limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pixel_limit_is_configurable()
    {
        var ex = Assert.Throws<ImageLoadException>(() => ImageLoader.Load(Fixtures.Path("images", "synthetic.png"), new ImageLoadOptions { MaxPixels = 1000 }));
        Assert.Contains("320x200", ex.Message, StringComparison.Ordinal);
    }

    private static byte[] PngHeaderOnly(int width, int height)
    {
        var bytes = new List<byte> { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // RGB
        AddChunk(bytes, "IHDR", ihdr);
        AddChunk(bytes, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        AddChunk(bytes, "IEND", []);
        return [.. bytes];
    }

    private static void AddChunk(List<byte> output, string type, byte[] data)
    {
        var len = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        output.AddRange(len);
        byte[] typed = [.. type.Select(c => (byte)c), .. data];
        output.AddRange(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        output.AddRange(crc);
    }

    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
