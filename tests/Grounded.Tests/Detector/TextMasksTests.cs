using Grounded.Detector.Text;
using Grounded.Tests.Support;

namespace Grounded.Tests.Detector;

public class TextMasksTests
{
    private static readonly int[] Special = [101, 102, 1012, 1029];

    public static TheoryData<string> Prompts => new(Fixtures.Json("gdino", "text_masks.json").GetProperty("prompts").EnumerateObject().Select(p => p.Name));

    [Theory]
    [MemberData(nameof(Prompts))]
    public void Hugging_face_variant_equals_text_masks_json(string prompt)
    {
        var reference = Fixtures.Json("gdino", "text_masks.json").GetProperty("prompts").GetProperty(prompt);
        int[] ids = [.. reference.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32())];

        var (mask, positions) = TextMasks.HuggingFace(ids, Special);

        Assert.Equal(reference.GetProperty("position_ids").EnumerateArray().Select(e => e.GetInt64()), positions);
        Assert.Equal(reference.GetProperty("text_self_attention_mask").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(e => e.GetInt32() == 1), mask);
    }

    [Theory]
    [MemberData(nameof(Prompts))]
    public void Idea_variant_has_the_same_mask_and_numbers_separators_as_the_next_position(string prompt)
    {
        var reference = Fixtures.Json("gdino", "text_masks.json").GetProperty("prompts").GetProperty(prompt);
        int[] ids = [.. reference.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32())];
        long[] hf = [.. reference.GetProperty("position_ids").EnumerateArray().Select(e => e.GetInt64())];

        var (mask, positions) = TextMasks.Idea(ids, Special);

        Assert.Equal(reference.GetProperty("text_self_attention_mask").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(e => e.GetInt32() == 1), mask);
        for (int i = 0; i < ids.Length; i++)
        {
            bool innerSeparator = Special.Contains(ids[i]) && i != 0 && i != ids.Length - 1;
            if (!innerSeparator)
            {
                Assert.Equal(hf[i], positions[i]);
            }
            else
            {
                // IDEA: arange(0, col - previous_col) over the span that ends with the separator.
                Assert.Equal(i == 0 ? 0 : positions[i - 1] + (Special.Contains(ids[i - 1]) ? 0 : 1), positions[i]);
            }
        }
    }

    [Fact]
    public void Idea_variant_known_vector()
    {
        // [CLS] a cat . a remote control . [SEP]
        var (_, positions) = TextMasks.Idea([101, 1037, 4937, 1012, 1037, 6556, 2491, 1012, 102], Special);

        Assert.Equal([0L, 0, 1, 2, 0, 1, 2, 3, 0], positions);
    }
}
