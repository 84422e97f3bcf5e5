using Grounded.Tensors;

namespace Grounded.Tests.Core;

public class RowNormaliserTests
{
    [Theory]
    [InlineData(NormalizationArithmetic.FoldedScale)]
    [InlineData(NormalizationArithmetic.RescaleThenNormalize)]
    public void Vector_and_table_rows_are_the_references_float32_expression(NormalizationArithmetic arithmetic)
    {
        double[] mean = [0.485, 0.456, 0.406], std = [0.229, 0.224, 0.225];
        var vector = new RowNormaliser(mean, std, 1 / 255.0, arithmetic);
        var table = new RowNormaliser(mean, std, 1 / 255.0, arithmetic) { Vectorised = false };
        var random = new Random((int)arithmetic);
        // Widths around the 8-pixel steps and the 4 bytes the last step reads beyond its pixels.
        foreach (int width in new[] { 0, 1, 7, 8, 9, 10, 15, 16, 17, 33, 256, 1023 })
        {
            var rgb = new byte[width * 3];
            random.NextBytes(rgb);
            var fromVector = Normalise(vector, rgb, width);
            var fromTable = Normalise(table, rgb, width);

            for (int c = 0; c < 3; c++)
            {
                for (int x = 0; x < width; x++)
                {
                    // Bit-exact: the same float32 operations the reference applies to one value.
                    float expected = Reference(rgb[(x * 3) + c], mean[c], std[c], arithmetic);
                    Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(fromVector[c][x]));
                    Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(fromTable[c][x]));
                }
            }
        }
    }

    [Fact]
    public void Rows_shorter_than_the_pixels_are_refused()
    {
        var normaliser = new RowNormaliser([0, 0, 0], [1, 1, 1], 1.0, NormalizationArithmetic.FoldedScale);

        Assert.Throws<ArgumentOutOfRangeException>(() => normaliser.WriteRow(new byte[30], new float[10], new float[9], new float[10]));
    }

    private static float[][] Normalise(RowNormaliser normaliser, byte[] rgb, int width)
    {
        float[][] channels = [new float[width], new float[width], new float[width]];
        normaliser.WriteRow(rgb, channels[0], channels[1], channels[2]);
        return channels;
    }

    private static float Reference(byte v, double mean, double std, NormalizationArithmetic arithmetic)
    {
        float scale = (float)(1.0 / (1 / 255.0));
        return arithmetic == NormalizationArithmetic.FoldedScale
            ? (v - ((float)mean * scale)) / ((float)std * scale)
            : (((float)v / scale) - (float)mean) / (float)std;
    }
}
