using Grounded.Detector;
using Grounded.Detector.Text;
using Grounded.Tests.Support;

namespace Grounded.Tests.Detector;

public class GroundingTokenizerTests
{
    private static readonly GroundingTokenizer Tokenizer = GroundingTokenizer.Load(Fixtures.Path("gdino", "vocab.txt"), Fixtures.Path("gdino", "processor", "tokenizer_config.json"));

    public static TheoryData<int> ReferencePrompts => new(Enumerable.Range(0, Fixtures.Json("tokenizers", "bert_reference_ids.json").GetProperty("bert").GetArrayLength()));

    [Theory]
    [MemberData(nameof(ReferencePrompts))]
    public void Ids_and_tokens_equal_transformers_bert_tokenizer(int index)
    {
        // Accents, CJK, emoji, punctuation, digits, special-token lookalikes and a 300-token prompt.
        var reference = Fixtures.Json("tokenizers", "bert_reference_ids.json").GetProperty("bert")[index];
        int[] expected = [.. reference.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32())];

        var encoded = Tokenizer.Encode(reference.GetProperty("prompt").GetString()!, maxTokens: 256);

        Assert.Equal(expected, encoded.InputIds);
        string[] tokens = [.. reference.GetProperty("tokens").EnumerateArray().Select(e => e.GetString()!)];
        Assert.Equal(tokens.Take(expected.Length - 2), Tokenizer.Tokens(encoded.InputIds[1..^1]));
    }

    [Fact]
    public void Fixture_case_ids_are_identical()
    {
        foreach (var dir in Directory.GetDirectories(Fixtures.Path("gdino", "cases")))
        {
            var c = Fixtures.Json(dir, "case.json");
            int[] expected = [.. c.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32())];

            var encoded = Tokenizer.Encode(Caption.Build(c.GetProperty("prompt").GetString()!, CaptionMode.Raw));

            Assert.Equal(expected, encoded.InputIds);
            Assert.All(c.GetProperty("token_type_ids").EnumerateArray(), e => Assert.Equal(0, e.GetInt32()));
            Assert.All(c.GetProperty("attention_mask").EnumerateArray(), e => Assert.Equal(1, e.GetInt32()));
        }
    }

    [Fact]
    public void A_long_prompt_is_truncated_with_the_dropped_classes_named()
    {
        string prompt = string.Join(" . ", Enumerable.Range(0, 100).Select(i => $"red thing number {i}"));

        var encoded = Tokenizer.Encode(Caption.Build(prompt, CaptionMode.Gsa), maxTokens: 256);

        Assert.Equal(256, encoded.Length);
        Assert.Equal(Tokenizer.SepId, encoded.InputIds[^1]);
        Assert.NotEmpty(encoded.DroppedClasses);
        Assert.Equal("red thing number 99", encoded.DroppedClasses[^1]);
        Assert.Equal(100, encoded.Classes.Count + encoded.DroppedClasses.Count);
    }

    [Fact]
    public void Class_spans_cover_each_class()
    {
        var encoded = Tokenizer.Encode("dog . remote control . cat.");

        Assert.Equal(["dog", "remote control", "cat"], encoded.Classes);
        Assert.Equal([(1, 2), (3, 5), (6, 7)], encoded.ClassSpans);
    }

    [Theory]
    [InlineData("The Bear", CaptionMode.Gsa, "the bear.")]
    [InlineData("  dog . cat  ", CaptionMode.Gsa, "dog . cat.")]
    [InlineData("bear.", CaptionMode.Gsa, "bear.")]
    [InlineData("The Bear", CaptionMode.Raw, "The Bear")]
    public void Caption_modes(string prompt, CaptionMode mode, string expected) => Assert.Equal(expected, Caption.Build(prompt, mode));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void Empty_prompts_are_errors(string prompt)
    {
        var ex = Assert.Throws<InvalidRequestException>(() => Caption.Build(prompt, CaptionMode.Gsa));
        Assert.Contains("empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Class_lists_join_with_separators() => Assert.Equal("dog . cat . remote control", Caption.FromClasses(["dog", " cat. ", "remote control"]));

    [Fact]
    public void Whole_string_clean_up_follows_the_config()
    {
        string folder = Directory.CreateTempSubdirectory("grounded-bert-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{"do_lower_case": true, "clean_up_tokenization_spaces": true}""");
            var cleaning = GroundingTokenizer.Load(Fixtures.Path("gdino", "vocab.txt"), Path.Combine(folder, "tokenizer_config.json"));
            int[] ids = Tokenizer.Encode("don't")!.InputIds[1..^1];

            Assert.Equal("don ' t", Tokenizer.Decode(ids)); // the fixture's config: the decoder's per-token clean-up only
            Assert.Equal("don't", cleaning.Decode(ids));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Theory]
    [InlineData(new[] { 1037, 1012, 1037, 2491, 1012, 102 }, "a. a control. [SEP]")]
    [InlineData(new[] { 3899, 1012, 1012, 102 }, "dog.. [SEP]")]
    [InlineData(new[] { 9289, 10128 }, "##calif")]
    [InlineData(new int[0], "")]
    public void Decode_follows_transformers(int[] ids, string expected) => Assert.Equal(expected, Tokenizer.Decode(ids));
}
