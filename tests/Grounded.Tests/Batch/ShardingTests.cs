using Grounded.Batch.Inputs;

namespace Grounded.Tests.Batch;

/// <summary>Every image belongs to exactly one shard, whatever the manifest's order.</summary>
public sealed class ShardingTests
{
    [Fact]
    public void Shards_of_random_manifests_are_disjoint_and_cover_every_image()
    {
        var random = new Random(1234);
        for (int trial = 0; trial < 200; trial++)
        {
            int count = random.Next(1, 8);
            var inputs = Enumerable.Range(0, random.Next(0, 60)).Select(_ => RandomInput(random)).ToList();
            var shuffled = inputs.OrderBy(_ => random.Next()).ToList();

            var owners = inputs.Select(i => Enumerable.Range(0, count).Where(s => new ShardSpec(s, count).Contains(i.Key)).ToList()).ToList();

            Assert.All(owners, o => Assert.Single(o));
            var union = Enumerable.Range(0, count).SelectMany(s => shuffled.Where(i => new ShardSpec(s, count).Contains(i.Key))).Select(i => i.Key).Order(StringComparer.Ordinal);
            Assert.Equal(inputs.Select(i => i.Key).Order(StringComparer.Ordinal), union);
        }
    }

    [Fact]
    public void Output_names_do_not_depend_on_the_shard_and_never_collide()
    {
        var random = new Random(99);
        for (int trial = 0; trial < 100; trial++)
        {
            var inputs = Enumerable.Range(0, random.Next(1, 40)).Select(_ => RandomInput(random)).ToList();
            var names = OutputNames.For(inputs);

            Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());

            // No image folder lies inside another's.
            Assert.DoesNotContain(names, n => names.Any(m => m.StartsWith(n + "/", StringComparison.Ordinal)));
            Assert.Equal(names, OutputNames.For(inputs));
        }
    }

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("6/7", 6, 7)]
    public void Shard_specs_parse(string text, int index, int count)
    {
        var shard = ShardSpec.Parse(text);
        Assert.Equal((index, count), (shard.Index, shard.Count));
        Assert.Equal($"shard-{index}-of-{count}", shard.Tag);
    }

    [Theory]
    [InlineData("1/1", "0 to 0")]
    [InlineData("3", "I/N")]
    [InlineData("-1/4", "I/N")]
    [InlineData("0/0", "1 to")]
    [InlineData("a/b", "I/N")]
    [InlineData("0/99999999", "1 to")]
    public void Bad_shard_specs_say_what_is_wrong(string text, string expected)
    {
        var error = Assert.Throws<InvalidRequestException>(() => ShardSpec.Parse(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_environment_gives_the_shard_only_when_complete()
    {
        Assert.Null(ShardSpec.FromEnvironment(_ => null));
        var shard = ShardSpec.FromEnvironment(name => name == ShardSpec.IndexVariable ? "3" : "8");
        Assert.Equal((3, 8), (shard!.Index, shard.Count));
        var half = Assert.Throws<InvalidRequestException>(() => ShardSpec.FromEnvironment(name => name == ShardSpec.IndexVariable ? "3" : null));
        Assert.Contains(ShardSpec.CountVariable, half.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a/b/cat.png", "a/b/cat.png")]
    [InlineData("../../etc/passwd", "_../_../etc/passwd")]
    [InlineData("/abs//x/./y.jpg", "abs/x/y.jpg")]
    [InlineData("a\\b\\c.png", "a/b/c.png")]
    [InlineData(".hidden.png", "_.hidden.png")]
    [InlineData("we:ird*na?me\u0001.png", "we_ird_na_me_.png")]
    public void Keys_are_safe_relative_folder_paths(string raw, string clean) => Assert.Equal(clean, ImageKey.Clean(raw));

    [Fact]
    public void An_empty_key_is_refused() => Assert.Throws<InvalidRequestException>(() => ImageKey.Clean("/./"));

    private static BatchInput RandomInput(Random random)
    {
        string[] folders = ["", "a/", "b/", "a/b/", "cat/"];
        string[] names = ["cat", "dog", "x", "cat.png", "b"];
        string[] extensions = [".png", ".jpg", ""];
        string key = folders[random.Next(folders.Length)] + names[random.Next(names.Length)] + extensions[random.Next(extensions.Length)];
        return new BatchInput(key, "/images/" + key);
    }
}
