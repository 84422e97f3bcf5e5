using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace Grounded.Batch;

/// <summary>A folder for glob matching in which linked folders are not entered (a link to an ancestor would loop).</summary>
internal sealed class LinkFreeDirectory(DirectoryInfo directory, DirectoryInfoBase? parent = null) : DirectoryInfoBase
{
    public override string Name => directory.Name;

    public override string FullName => directory.FullName;

    public override DirectoryInfoBase? ParentDirectory => parent ?? (directory.Parent is { } p ? new LinkFreeDirectory(p) : null);

    public override IEnumerable<FileSystemInfoBase> EnumerateFileSystemInfos()
    {
        if (!directory.Exists)
        {
            yield break;
        }

        foreach (var info in directory.EnumerateFileSystemInfos())
        {
            if (info is DirectoryInfo sub)
            {
                if (sub.LinkTarget is null)
                {
                    yield return new LinkFreeDirectory(sub, this);
                }
            }
            else if (info is FileInfo file)
            {
                yield return new FileInfoWrapper(file);
            }
        }
    }

    public override DirectoryInfoBase? GetDirectory(string path)
    {
        if (path == "..")
        {
            return ParentDirectory;
        }

        var sub = new DirectoryInfo(Path.Combine(directory.FullName, path));
        return sub.Exists && sub.LinkTarget is null ? new LinkFreeDirectory(sub, this) : null;
    }

    public override FileInfoBase? GetFile(string path)
    {
        var file = new FileInfo(Path.Combine(directory.FullName, path));
        return file.Exists ? new FileInfoWrapper(file) : null;
    }
}
