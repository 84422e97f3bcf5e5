namespace Grounded.Segmenter.Processing;

internal sealed partial class MaskResampler
{
    /// <summary>
    /// One thread's rows for stage 2: the output row, and the last two intermediate rows resampled across to the output
    /// width. Neighbouring output rows read the same intermediate rows when upscaling, so each is resampled once.
    /// </summary>
    private sealed class OutputRows(int width)
    {
        private readonly float[][] _rows = [new float[width], new float[width]];
        private readonly int[] _of = [-1, -1];

        public float[] Output { get; } = new float[width];

        /// <summary>Forgets the rows: call before each map (its intermediate rows are new).</summary>
        public void Reset() => _of[0] = _of[1] = -1;

        /// <summary>
        /// The row holding intermediate row <paramref name="index"/> across; <paramref name="stale"/> when the caller
        /// must fill it. The row holding <paramref name="keep"/> is never the one given up.
        /// </summary>
        public float[] Slot(int index, int keep, out bool stale)
        {
            for (int i = 0; i < 2; i++)
            {
                if (_of[i] == index)
                {
                    stale = false;
                    return _rows[i];
                }
            }

            int victim = _of[0] == keep ? 1 : 0;
            _of[victim] = index;
            stale = true;
            return _rows[victim];
        }
    }
}
