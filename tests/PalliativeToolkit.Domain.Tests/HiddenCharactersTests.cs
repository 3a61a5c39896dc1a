using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Domain.Tests;

public class HiddenCharactersTests
{
    [Theory]
    [InlineData('\n', true, false)]
    [InlineData('\u0007', true, false)]
    [InlineData('\u2028', true, false)]
    [InlineData('\u202E', false, true)]
    [InlineData('\u2066', false, true)]
    [InlineData('\u200B', false, true)]
    [InlineData('\uFEFF', false, true)]
    [InlineData('\u200D', false, true)]
    [InlineData('a', false, false)]
    [InlineData('é', false, false)]
    public void Line_breakers_and_invisible_formatting_are_told_apart_and_both_are_unsafe_in_output(char c, bool breaksLines, bool formatting)
    {
        Assert.Equal(breaksLines, HiddenCharacters.BreaksLines(c));
        Assert.Equal(formatting, HiddenCharacters.IsFormatting(c));
        Assert.Equal(breaksLines || formatting, HiddenCharacters.IsUnsafeInOutput(c));
    }
}
