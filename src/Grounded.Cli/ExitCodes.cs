namespace Grounded.Cli;

/// <summary>Process exit codes (listed in --help).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Runtime = 1;
    public const int Usage = 2;
    public const int Input = 3;
    public const int Model = 4;
    public const int Cancelled = 130;

    public const string HelpText =
        "Exit codes: 0 success; 1 runtime error; 2 usage error (bad option, empty prompt); " +
        "3 input error (an image is missing, corrupt or too large; in a folder run, at least one image failed and the rest were done); " +
        "4 model error (not installed, download failed, wrong tensors); 130 cancelled.";
}
