using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Grounded.Imaging;

/// <summary>
/// Reads any common format into <see cref="RgbImage"/>: EXIF orientation applied first, then converted to
/// 8-bit RGB (grayscale, CMYK, 16-bit and alpha inputs included; alpha is dropped as PIL's convert("RGB") does).
/// </summary>
public static class ImageLoader
{
    /// <summary>Loads an image file.</summary>
    /// <exception cref="ImageLoadException">The file is missing, unreadable, not an image, or too large.</exception>
    public static RgbImage Load(string path, ImageLoadOptions? options = null)
    {
        options ??= ImageLoadOptions.Default;
        CheckFile(path, options);
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            using var stream = new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);
            return Load(stream, path, options);
        }
        catch (IOException ex)
        {
            throw new ImageLoadException($"Cannot read image '{path}': {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ImageLoadException($"Cannot read image '{path}': {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Checks, before anything opens it, that <paramref name="path"/> is a file an image can be read from whole: it
    /// exists, is not a directory, is within the size limit, and is not empty — which is also what a pipe, a socket or
    /// a device reports (opening a pipe waits for a writer; /dev/zero never ends).
    /// </summary>
    /// <exception cref="ImageLoadException">It is not.</exception>
    public static void CheckFile(string path, ImageLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= ImageLoadOptions.Default;
        if (Directory.Exists(path))
        {
            throw new ImageLoadException($"'{path}' is a directory, not an image file.");
        }

        var file = new FileInfo(path);
        try
        {
            // A link is judged by what it finally names: a missing target or a loop is the input's error.
            if (file.Exists && file.LinkTarget is not null)
            {
                file = file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? file;
            }
        }
        catch (IOException ex)
        {
            throw new ImageLoadException($"Cannot read image '{path}': {ex.Message}", ex);
        }

        if (!file.Exists)
        {
            throw new ImageLoadException($"Image file '{path}' does not exist{(file.FullName != Path.GetFullPath(path) ? " (a link to a missing file)" : string.Empty)}.");
        }

        long length = file.Length;
        if (length == 0)
        {
            throw new ImageLoadException($"'{path}' is empty or not a regular file (a pipe or a device).");
        }

        if (length > options.MaxFileBytes)
        {
            throw new ImageLoadException($"Image file '{path}' is {length} bytes, over the limit of {options.MaxFileBytes}.");
        }
    }

    /// <summary>Loads an image from a seekable stream; the stream stays the caller's.</summary>
    /// <param name="stream">The encoded image.</param>
    /// <param name="name">What to call the image in error messages.</param>
    /// <param name="options">Limits.</param>
    public static RgbImage Load(Stream stream, string name, ImageLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= ImageLoadOptions.Default;
        try
        {
            if (!stream.CanSeek)
            {
                var copy = new MemoryStream();
                stream.CopyTo(copy);
                copy.Position = 0;
                return Load(copy, name, options);
            }

            long start = stream.Position;
            var info = Image.Identify(stream, out var format);
            if (info is null || format is null)
            {
                throw new ImageLoadException($"'{name}' is not an image in a supported format.");
            }
            long pixels = (long)info.Width * info.Height;
            if (pixels > options.MaxPixels)
            {
                throw new ImageLoadException(
                    $"Image '{name}' is {info.Width}x{info.Height} ({pixels} pixels), over the limit of {options.MaxPixels} pixels.");
            }

            stream.Position = start;
            if (IsTruncated(stream, format))
            {
                throw new ImageLoadException($"Image '{name}' is truncated (its {format.Name} end marker is missing).");
            }

            stream.Position = start;

            using var image = Image.Load<Rgb24>(ImageMemory.Configuration, stream);
            ApplyExifOrientation(image);
            return ToRgbImage(image);
        }
        catch (UnknownImageFormatException ex)
        {
            throw new ImageLoadException($"'{name}' is not an image in a supported format.", ex);
        }
        catch (InvalidImageContentException ex)
        {
            throw new ImageLoadException($"Image '{name}' is corrupt or truncated: {ex.Message}", ex);
        }
        catch (ImageFormatException ex)
        {
            throw new ImageLoadException($"Image '{name}' cannot be decoded: {ex.Message}", ex);
        }
        catch (NotSupportedException ex)
        {
            throw new ImageLoadException($"Image '{name}' uses an unsupported feature: {ex.Message}", ex);
        }
        catch (EndOfStreamException ex)
        {
            throw new ImageLoadException($"Image '{name}' is truncated.", ex);
        }
    }

    /// <summary>An image's format, stored size and EXIF orientation (1 to 8), from its header alone.</summary>
    /// <exception cref="ImageLoadException">Not an image in a supported format.</exception>
    public static (string Format, int Width, int Height, int Orientation) Identify(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            var info = Image.Identify(stream, out var format);
            if (info is null || format is null)
            {
                throw new ImageLoadException($"'{name}' is not an image in a supported format.");
            }

            int orientation = info.Metadata.ExifProfile?.GetValue(ExifTag.Orientation) is { } tag && tag.Value is >= 1 and <= 8 ? tag.Value : 1;
            return (format.Name, info.Width, info.Height, orientation);
        }
        catch (Exception ex) when (ex is UnknownImageFormatException or InvalidImageContentException or ImageFormatException or NotSupportedException or EndOfStreamException)
        {
            throw new ImageLoadException($"'{name}' is not an image in a supported format.", ex);
        }
    }

    /// <summary>Copies an ImageSharp image into an <see cref="RgbImage"/>.</summary>
    public static RgbImage ToRgbImage(Image<Rgb24> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var result = new RgbImage(image.Width, image.Height);
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(accessor.GetRowSpan(y)).CopyTo(result.Row(y));
            }
        });
        return result;
    }

    private static bool IsTruncated(Stream stream, SixLabors.ImageSharp.Formats.IImageFormat format)
    {
        if (stream is MemoryStream memory && memory.TryGetBuffer(out var buffer))
        {
            return TruncationCheck.IsTruncated(buffer.AsSpan((int)memory.Position), format);
        }

        var bytes = new byte[stream.Length - stream.Position];
        stream.ReadExactly(bytes);
        return TruncationCheck.IsTruncated(bytes, format);
    }

    private static void ApplyExifOrientation(Image<Rgb24> image)
    {
        // AutoOrient reads the EXIF tag, rotates/flips, and resets the tag, exactly what PIL's
        // ImageOps.exif_transpose does; an orientation of 1 or none is a no-op.
        var orientation = image.Metadata.ExifProfile?.GetValue(ExifTag.Orientation);
        if (orientation is not null && orientation.Value is > 1 and <= 8)
        {
            image.Mutate(x => x.AutoOrient());
        }
    }
}
