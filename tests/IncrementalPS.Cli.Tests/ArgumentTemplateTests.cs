using System;
using Xunit;

namespace IncrementalPS.Cli.Tests;

public sealed class ArgumentTemplateTests
{
    [Fact]
    public void Placeholder_is_replaced_in_every_argument_also_inside_longer_ones()
    {
        var template = new ArgumentTemplate(new[] { "convert", "{}", "-resize", "200x200", "{}.thumb.png" });

        var expanded = template.Expand("photos/a b.jpg");

        Assert.Equal(new[] { "convert", "photos/a b.jpg", "-resize", "200x200", "photos/a b.jpg.thumb.png" }, expanded);
    }

    [Fact]
    public void Item_is_appended_as_last_argument_when_there_is_no_placeholder()
    {
        var template = new ArgumentTemplate(new[] { "gzip", "-k" });

        Assert.Equal(new[] { "gzip", "-k", "file.txt" }, template.Expand("file.txt"));
        Assert.False(template.ProgramIsPerItem);
    }

    [Fact]
    public void Item_text_is_taken_literally_not_as_a_pattern()
    {
        var template = new ArgumentTemplate(new[] { "echo", "[{}]" });

        Assert.Equal(new[] { "echo", "[$1 {} *]" }, template.Expand("$1 {} *"));
    }

    [Fact]
    public void Program_holding_the_placeholder_is_known_only_per_item()
    {
        var template = new ArgumentTemplate(new[] { "{}", "--version" });

        Assert.True(template.ProgramIsPerItem);
        Assert.Equal(new[] { "/usr/bin/tool", "--version" }, template.Expand("/usr/bin/tool"));
    }

    [Fact]
    public void Empty_command_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new ArgumentTemplate(Array.Empty<string>()));
    }

    [Fact]
    public void Text_form_quotes_arguments_a_shell_would_split()
    {
        var template = new ArgumentTemplate(new[] { "sh", "-c", "echo \"$1\" it's", "sh", "{}" });

        Assert.Equal("sh -c 'echo \"$1\" it'\\''s' sh {}", template.ToString());
    }
}
