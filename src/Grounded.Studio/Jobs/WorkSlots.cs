namespace Grounded.Studio.Jobs;

/// <summary>
/// How much model work runs at once: heavy work (encoders, detectors, everything, inpainting) and light work
/// (a decoder call for a click or a hover) each have a fixed number of slots; a request that finds none is turned
/// away at once with 429 rather than queued, so a page (or a flood) never piles work up behind the server.
/// </summary>
internal sealed class WorkSlots(int heavy, int light) : IDisposable
{
    private readonly SemaphoreSlim _heavy = new(heavy, heavy);
    private readonly SemaphoreSlim _light = new(light, light);

    public IDisposable EnterHeavy() => Enter(_heavy, "model runs", heavy);

    public IDisposable EnterLight() => Enter(_light, "quick decoder calls", light);

    private static Releaser Enter(SemaphoreSlim slots, string what, int count) =>
        slots.Wait(0) ? new Releaser(slots) : throw new StudioBusyException($"Busy: {count} {what} are already running; retry in a moment.");

    public void Dispose()
    {
        _heavy.Dispose();
        _light.Dispose();
    }

    private sealed class Releaser(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
