namespace Grounded.Inpaint.StableDiffusion;

/// <summary>Seeded N(0, 1) draws (Box–Muller over a seeded generator): the same seed gives the same image.</summary>
internal sealed class GaussianNoise(long seed)
{
    private readonly Random _random = new(unchecked((int)(seed ^ (seed >> 32))));
    private double? _spare;

    public float Next()
    {
        if (_spare is double spare)
        {
            _spare = null;
            return (float)spare;
        }

        double u1 = 1.0 - _random.NextDouble(), u2 = _random.NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spare = r * Math.Sin(2 * Math.PI * u2);
        return (float)(r * Math.Cos(2 * Math.PI * u2));
    }

    public float[] Next(int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = Next();
        }

        return values;
    }
}
