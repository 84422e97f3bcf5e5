namespace Grounded.Segmenter.Layouts;

/// <summary>
/// When a SAM encoder gives back what its run grew ONNX Runtime's CPU arena by (hundreds of MB at 1024×1024). Giving
/// it back is free for a process that encodes one image, and keeps that memory free for the decoder and the outputs;
/// but the next encode must fault all of it in again, which cost a warm MobileSAM encode 560 ms on top of 420 ms.
/// So the first encode of a segmenter gives it back and later ones keep it: a second image is the sign of a folder
/// run, a server or crops, where the arena is reused at once.
/// </summary>
internal sealed class EncoderArena
{
    private int _runs;

    /// <summary>Call once per encode: true when this run should give its arena growth back.</summary>
    public bool ShrinkAfterRun() => Interlocked.Increment(ref _runs) == 1;
}
