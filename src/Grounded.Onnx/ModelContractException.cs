namespace Grounded.Onnx;

/// <summary>
/// A model file does not have the inputs/outputs Grounded expects: it names the file, the tensor and what was expected.
/// </summary>
public sealed class ModelContractException : ModelException
{
    /// <summary>Creates the exception.</summary>
    public ModelContractException(string modelPath, string tensorName, string expected, string actual)
        : base($"Model '{modelPath}': tensor '{tensorName}' {expected}; {actual}.")
    {
        ModelPath = modelPath;
        TensorName = tensorName;
        Expected = expected;
    }

    /// <summary>Creates an exception for a model that cannot be opened or recognised at all.</summary>
    public ModelContractException(string modelPath, string message, Exception? innerException = null)
        : base($"Model '{modelPath}': {message}", innerException)
    {
        ModelPath = modelPath;
        TensorName = string.Empty;
        Expected = message;
    }

    /// <summary>The model file.</summary>
    public string ModelPath { get; }

    /// <summary>The tensor that is missing or wrong (empty when the model itself is unusable).</summary>
    public string TensorName { get; }

    /// <summary>What was expected.</summary>
    public string Expected { get; }
}
