using System.Runtime.CompilerServices;

namespace Grounded.Tests.Support;

/// <summary>Settings the whole test run shares, made before any test (or child process) reads them.</summary>
internal static class TestEnvironment
{
    /// <summary>
    /// ONNX Runtime's optimised model copies go to a folder of the test runs' own, not the user's cache: tests open
    /// fixture models from many temporary folders, and each would leave a copy there.
    /// </summary>
    [ModuleInitializer]
    internal static void Initialize() =>
        Environment.SetEnvironmentVariable("GROUNDED_OPTIMIZED_MODELS_DIR", Path.Combine(Path.GetTempPath(), "grounded-tests-optimized"));
}
