using Grounded.Onnx;
using Grounded.Tests.Support;

namespace Grounded.Tests.Core;

public class OnnxSessionFactoryTests
{
    [Theory]
    [InlineData("auto", ExecutionDeviceKind.Auto, 0)]
    [InlineData("cpu", ExecutionDeviceKind.Cpu, 0)]
    [InlineData("cuda", ExecutionDeviceKind.Cuda, 0)]
    [InlineData("CUDA:2", ExecutionDeviceKind.Cuda, 2)]
    public void Device_strings_parse(string text, ExecutionDeviceKind kind, int id) =>
        Assert.Equal(new ExecutionDevice(kind, id), ExecutionDevice.Parse(text));

    [Theory]
    [InlineData("gpu:x")]
    [InlineData("cuda:-1")]
    [InlineData("tpu")]
    public void Bad_device_strings_are_rejected(string text) => Assert.Throws<Grounded.Settings.InvalidSettingException>(() => ExecutionDevice.Parse(text));

    [Fact]
    public void Cpu_sessions_reuse_their_arena_instead_of_planning_a_block_per_shape()
    {
        // The memory pattern kept a second copy of every activation beside the first run's (see CreateSessionOptions).
        using var cpu = OnnxSessionFactory.CreateSessionOptions(new RuntimeOptions { Device = ExecutionDevice.Cpu });

        Assert.False(cpu.EnableMemoryPattern);
    }

    [Fact]
    public void Auto_falls_back_to_cpu_when_cuda_is_missing()
    {
        using var model = OnnxModel.Open(Fixtures.Path("sam-official", "decoder.onnx"), new RuntimeOptions { Device = ExecutionDevice.Auto });

        Assert.True(model.HasInput("point_coords"));
    }

    [Fact]
    public void A_missing_tensor_names_the_file_and_the_tensor()
    {
        string path = Fixtures.Path("sam-official", "encoder.onnx");
        var contract = new ModelContract([TensorSpec.Float("pixel_values", 4)], []);

        var ex = Assert.Throws<ModelContractException>(() => OnnxModel.Open(path, new RuntimeOptions { Device = ExecutionDevice.Cpu }, contract));

        Assert.Equal("pixel_values", ex.TensorName);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("'pixel_values'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("image", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_rank_or_dtype_is_named()
    {
        string path = Fixtures.Path("sam-official", "decoder.onnx");
        var options = new RuntimeOptions { Device = ExecutionDevice.Cpu };

        var rank = Assert.Throws<ModelContractException>(() => OnnxModel.Open(path, options, new ModelContract([TensorSpec.Float("point_coords", 4)], [])));
        var type = Assert.Throws<ModelContractException>(() => OnnxModel.Open(path, options, new ModelContract([TensorSpec.Int64("point_labels", 2)], [])));

        Assert.Contains("rank 4", rank.Message, StringComparison.Ordinal);
        Assert.Contains("int64", type.Message, StringComparison.Ordinal);
        Assert.Contains("float32", type.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_model_is_a_typed_error()
    {
        string path = Path.GetTempFileName();
        File.WriteAllText(path, "not onnx");
        try
        {
            var ex = Assert.Throws<ModelContractException>(() => OnnxModel.Open(path));
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
