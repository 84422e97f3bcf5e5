namespace Grounded.Cli.Commands;

/// <summary>The output folder, checked before any model loads.</summary>
internal static class OutputFolderCheck
{
    /// <summary>Refuses a folder that is an existing file (a usage error), which would otherwise fail after the work.</summary>
    public static void Check(string? folder)
    {
        if (folder is not null && File.Exists(folder) && !Directory.Exists(folder))
        {
            throw new InvalidRequestException($"The output folder '{folder}' is a file: give a folder (it is made when missing).");
        }
    }
}
