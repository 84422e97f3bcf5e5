using Grounded.Imaging;
using Grounded.Studio;
using Grounded.Studio.Sessions;

namespace Grounded.Tests.Studio;

/// <summary>The in-memory store stays within its count and its bytes, least recently used out first, and forgets unused images.</summary>
public class ImageStoreTests
{
    private static RgbImage Image(int side) => new(side, side, new byte[side * side * 3]);

    [Fact]
    public void The_store_keeps_within_its_count_and_bytes_dropping_the_least_recently_used()
    {
        var store = new ImageStore(capacity: 3, TimeSpan.FromMinutes(5), maxBytes: 3 * 100 * 100 * 3);
        var a = store.Add("a", Image(100));
        var b = store.Add("b", Image(100));
        var c = store.Add("c", Image(100));
        store.Get(a.Id);
        store.Add("d", Image(100));
        Assert.Throws<StudioNotFoundException>(() => store.Get(b.Id));
        Assert.Equal(3, store.Count);

        // One image of twice the size pushes out the two least recently used.
        store.Get(a.Id);
        store.Add("e", Image(141));
        Assert.Throws<StudioNotFoundException>(() => store.Get(c.Id));
        Assert.Equal(a.Id, store.Get(a.Id).Id);
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public async Task Unused_images_expire()
    {
        var store = new ImageStore(capacity: 3, TimeSpan.FromMilliseconds(200));
        var a = store.Add("a", Image(10));
        await Task.Delay(400);
        var ex = Assert.Throws<StudioNotFoundException>(() => store.Get(a.Id));
        Assert.Contains("expired", ex.Message, StringComparison.Ordinal);
        Assert.Throws<StudioNotFoundException>(() => store.Get("../../etc/passwd"));
    }
}
