using Grounded.Settings;
using Grounded.Studio;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;

namespace Grounded.Tests.Support;

/// <summary>Grounded Studio in memory (a test server, no socket) over the fixture models, for API tests.</summary>
// The entry type is the CLI's (the factory wants an assembly with an entry point); the host is Studio's own.
internal sealed class StudioFactory(StudioOptions options) : WebApplicationFactory<Program>
{
    public StudioOptions Options { get; } = options;

    /// <summary>Options over fixture model folders (names under tests/fixtures), resolved as folders, never downloaded.</summary>
    public static StudioOptions OptionsFor(string detector = "gdino", string segmenter = "sam") => new()
    {
        Settings = GroundedSettings.Default with
        {
            Models = ModelChoices.Default with { Detector = Fixtures.Path(detector), Segmenter = Fixtures.Path(segmenter) },
            Runtime = RuntimeOptions.Default with { Device = ExecutionDevice.Cpu },
        },
        Resolve = (value, kind, _) => value is null
            ? throw new InvalidOperationException($"Tests give every {kind} as a folder.")
            : Task.FromResult((value, (string?)null)),
    };

    public static StudioFactory Create(string detector = "gdino", string segmenter = "sam", Func<StudioOptions, StudioOptions>? change = null) =>
        new((change ?? (o => o))(OptionsFor(detector, segmenter)));

    protected override IHostBuilder CreateHostBuilder() => StudioServer.CreateHostBuilder(Options);
}
