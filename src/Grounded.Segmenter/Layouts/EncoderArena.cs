namespace Grounded.Segmenter.Layouts;

/// <summary>
/// When a SAM encoder gives back what its run grew ONNX Runtime's CPU arena by (hundreds of MB at 1024×1024). Giving
/// it back is free for a process that encodes one image, and keeps that memory free for the decoder and the outputs;
/// but the next encode must fault all of it in again, which cost a warm MobileSAM encode 560 ms on top of 420 ms.
/// So the first encode of a segmenter gives it back and later ones keep it (a second image is the sign of a folder
/// run, a server or crops, where the arena is reused at once), except a run that starts while another is in flight:
/// two overlapping runs grow the one arena to twice the size, and only one encoder's worth is kept.
/// </summary>
internal sealed class EncoderArena
{
    private int _runs;
    private int _inFlight;

    /// <summary>Call as a run starts (the choice is the run's option); dispose the result when it ends.</summary>
    public Run Start()
    {
        bool first = Interlocked.Increment(ref _runs) == 1;
        bool overlapping = Interlocked.Increment(ref _inFlight) > 1;
        return new Run(this, first || overlapping);
    }

    /// <summary>One encoder run: whether it gives its arena growth back.</summary>
    public readonly struct Run(EncoderArena owner, bool shrink) : IDisposable
    {
        public bool Shrink => shrink;

        public void Dispose() => Interlocked.Decrement(ref owner._inFlight);
    }
}
