namespace Grounded.Segmenter.Layouts;

/// <summary>
/// One SAM encoder run at a time, and when a run gives back what it grew ONNX Runtime's CPU arena by (hundreds of MB
/// at 1024×1024). Two runs at once only share the cores (each already has the session's threads) while holding two
/// encoders' activations, and a shrink after overlapping runs cost the next run its page faults again: a folder run
/// of two images in flight was faster and smaller with its encodes one after another. Giving the arena back is free
/// for a process that encodes one image and keeps that memory for the decoder and the outputs, so the first run
/// does; later ones keep it (a second image is the sign of a folder run, a server or crops, where it is reused at once).
/// </summary>
internal sealed class EncoderArena : IDisposable
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private int _runs;

    /// <summary>Waits for the encoder, then starts a run (the shrink choice is the run's option); dispose the result when it ends.</summary>
    public Run Start(CancellationToken cancellationToken = default)
    {
        _oneAtATime.Wait(cancellationToken);
        return new Run(this, Interlocked.Increment(ref _runs) == 1);
    }

    public void Dispose() => _oneAtATime.Dispose();

    /// <summary>One encoder run: whether it gives its arena growth back.</summary>
    public readonly struct Run(EncoderArena owner, bool shrink) : IDisposable
    {
        public bool Shrink => shrink;

        public void Dispose() => owner._oneAtATime.Release();
    }
}
