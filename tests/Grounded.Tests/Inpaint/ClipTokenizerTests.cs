using Grounded.Inpaint.StableDiffusion;
using Grounded.Tests.Support;

namespace Grounded.Tests.Inpaint;

/// <summary>CLIP BPE parity with OpenAI CLIP's simple_tokenizer over the real vocabulary (fixtures/clip-tokenizer).</summary>
public class ClipTokenizerTests
{
    private static readonly ClipTokenizer Tokenizer = ClipTokenizer.Load(Fixtures.Path("clip-tokenizer"));

    public static TheoryData<int> Cases => new(Enumerable.Range(0, Fixtures.Json("tokenizers", "clip_reference_ids.json").GetProperty("cases").GetArrayLength()));

    [Fact]
    public void A_photo_of_a_cat() =>
        Assert.Equal([49406, 320, 1125, 539, 320, 2368, 49407], Tokenizer.EncodeForModel("a photo of a cat")[..7]);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Ids_padding_and_truncation_equal_the_reference(int index)
    {
        var c = Fixtures.Json("tokenizers", "clip_reference_ids.json").GetProperty("cases")[index];
        string prompt = c.GetProperty("prompt").GetString()!;

        Assert.Equal(c.GetProperty("bpe_ids").EnumerateArray().Select(e => e.GetInt32()), Tokenizer.Encode(prompt));
        Assert.Equal(c.GetProperty("sd1_input_ids").EnumerateArray().Select(e => e.GetInt32()), Tokenizer.EncodeForModel(prompt));
    }

    [Fact]
    public void Sd2_pads_with_the_exclamation_mark_token_its_config_names()
    {
        string folder = Directory.CreateTempSubdirectory("grounded-clip-").FullName;
        try
        {
            File.Copy(Fixtures.Path("clip-tokenizer", "vocab.json"), Path.Combine(folder, "vocab.json"));
            File.Copy(Fixtures.Path("clip-tokenizer", "merges.txt"), Path.Combine(folder, "merges.txt"));
            File.WriteAllText(Path.Combine(folder, "special_tokens_map.json"), """{"pad_token": "!"}""");
            var sd2 = ClipTokenizer.Load(folder);
            var c = Fixtures.Json("tokenizers", "clip_reference_ids.json").GetProperty("cases")[2];

            Assert.Equal(0, sd2.PadId);
            Assert.Equal(c.GetProperty("sd2_input_ids").EnumerateArray().Select(e => e.GetInt32()), sd2.EncodeForModel(c.GetProperty("prompt").GetString()!));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
