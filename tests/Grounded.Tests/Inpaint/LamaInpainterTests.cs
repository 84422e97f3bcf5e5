using Grounded.Imaging;
using Grounded.Inpaint;
using Grounded.Inpaint.Lama;
using Grounded.Masks;
using Grounded.Onnx;
using Grounded.Tests.Support;
using static Grounded.Tests.Support.OnnxGraphBuilder;

namespace Grounded.Tests.Inpaint;

/// <summary>The LaMa loop through tiny graphs of its exact contract: image [1,3,S,S] 0..1, mask [1,1,S,S] → [1,3,S,S].</summary>
public sealed class LamaInpainterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-lama-").FullName;

    // output = image·(1 − mask) + 0.25·mask, times `scale` (1 for a 0..1 export, 255 for a 0..255 one).
    private string Model(float scale, int size = 64)
    {
        var g = new OnnxGraphBuilder().Input("image", Float, 1, 3, size, size).Input("mask", Float, 1, 1, size, size).Output("output", Float, 1, 3, size, size);
        string keep = g.Node("Sub", [g.Constant([1f], 1), "mask"]);
        string kept = g.Node("Mul", ["image", keep]);
        string gray = g.Node("Mul", ["mask", g.Constant([0.25f], 1)]);
        string sum = g.Node("Add", [kept, gray]);
        g.Node("Mul", [sum, g.Constant([scale], 1)], "output");
        string path = Path.Combine(_dir, $"lama_{scale}.onnx");
        g.Save(path);
        return path;
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(255f)]
    public async Task The_hole_is_filled_by_the_model_and_nothing_outside_changes(float scale)
    {
        using var lama = LamaInpainter.Create(Model(scale), new RuntimeOptions { Device = ExecutionDevice.Cpu });
        var image = Fixtures.Image("cat");
        var hole = new BinaryMask(image.Width, image.Height);
        for (int y = 100; y < 140; y++)
        {
            for (int x = 200; x < 260; x++)
            {
                hole[x, y] = true;
            }
        }

        var result = await lama.InpaintAsync(image, AlphaMask.From(hole), InpaintOptions.Default);

        Assert.Equal(64, lama.Size);
        for (int i = 0; i < image.Width * image.Height; i++)
        {
            if (!hole.Get(i))
            {
                Assert.Equal(image.Pixels[i * 3], result.Pixels[i * 3]);
            }
        }

        // Well inside the hole the model's gray (0.25 → 64) arrives, whatever the output range.
        int centre = ((120 * image.Width) + 230) * 3;
        Assert.InRange(result.Pixels[centre], 60, 68);
    }

    [Fact]
    public void The_context_window_is_square_holds_the_box_and_stays_inside_the_image()
    {
        using var lama = LamaInpainter.Create(Model(1f, 512), new RuntimeOptions { Device = ExecutionDevice.Cpu });

        var window = lama.Window(new Geometry.BoxXyxy(900, 20, 1000, 80), 1280, 720);

        Assert.Equal((512, 512), (window.Width, window.Height));
        Assert.True(window.X0 <= 900 && window.X0 + window.Width >= 1000 && window.Y0 == 0);
        Assert.True(window.X0 + window.Width <= 1280);
    }

    [Fact]
    public void A_model_without_a_mask_input_is_rejected_by_name()
    {
        var g = new OnnxGraphBuilder().Input("image", Float, 1, 3, 8, 8).Output("output", Float, 1, 3, 8, 8);
        g.Node("Identity", ["image"], "output");
        string path = Path.Combine(_dir, "nomask.onnx");
        g.Save(path);

        var ex = Assert.Throws<ModelContractException>(() => LamaInpainter.Create(path));

        Assert.Equal("mask", ex.TensorName);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
