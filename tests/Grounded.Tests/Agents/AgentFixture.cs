using Grounded.Detector;
using Grounded.Inpaint;
using Grounded.Agents;
using Grounded.Onnx;
using Grounded.SemanticKernel;
using Grounded.Tests.Support;

namespace Grounded.Tests.Agents;

/// <summary>A sandbox over a copy of the fixture images and the tiny fixture models, shared by a test class.</summary>
public sealed class AgentFixture : IDisposable
{
    public AgentFixture()
    {
        Root = Directory.CreateTempSubdirectory("grounded-agent-").FullName;
        Inputs = Path.Combine(Root, "inputs");
        Outputs = Path.Combine(Root, "outputs");
        Directory.CreateDirectory(Inputs);
        foreach (string name in new[] { "cat", "synthetic", "astronaut" })
        {
            File.Copy(Fixtures.Path("images", name + ".png"), Path.Combine(Inputs, name + ".png"));
        }

        var options = new GroundedAgentOptions
        {
            OutputFolder = Outputs,
            Detector = Fixtures.Path("gdino"),
            Segmenter = Fixtures.Path("sam"),
            Runtime = new RuntimeOptions { Device = ExecutionDevice.Cpu },
            // The random fixture model scores near 0.95; these thresholds keep a few boxes.
            Detect = new DetectOptions { BoxThreshold = 0.95f, TextThreshold = 0.9f },
            AllowDownload = false,
            LamaModel = TinyModels.Lama(Path.Combine(Root, "lama.onnx")),
            StableDiffusionModel = Inpaint.TinyStableDiffusion.Create(Path.Combine(Root, "sd")),
            Replace = new InpaintOptions { Inpainter = InpainterKind.StableDiffusion, NegativePrompt = "blurry, low quality", Steps = 3 },
        };
        options.AllowedReadFolders.Add(Inputs);
        Service = new GroundedAgentService(options);
        Plugin = new GroundedPlugin(Service);
    }

    public string Root { get; }

    public string Inputs { get; }

    public string Outputs { get; }

    public GroundedAgentService Service { get; }

    public GroundedPlugin Plugin { get; }

    public void Dispose()
    {
        Service.Dispose();
        Directory.Delete(Root, true);
    }
}
