using System.CommandLine;
using Grounded.Cli.Commands;

namespace Grounded.Cli;

/// <summary>The <c>grounded</c> command line; in-process entry point for tests.</summary>
public static class CliApp
{
    /// <summary>Builds the command tree writing to the given streams.</summary>
    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand(
            "Grounded: words to pixels. Grounding DINO finds what a text prompt names, SAM cuts it out.\n\n" +
            "Examples:\n" +
            "  grounded segment bear.jpg \"the bear\"\n" +
            "  grounded segment photos/ \"dog . cat\" --out results --format all\n" +
            "  grounded segment bear.jpg --points 420,310:1 --points 90,40:0 --multimask --json\n" +
            "  grounded detect bear.jpg \"the bear\" --json\n" +
            "  grounded everything street.jpg --out results\n" +
            "  grounded remove park.jpg \"the bench\"\n" +
            "  grounded replace room.jpg \"the sofa\" --with \"a red leather chair\" --seed 7\n" +
            "  grounded inpaint photo.png --mask scratches.png --radius 3\n" +
            "  grounded run recipes/remove-bench.yaml photos/\n" +
            "  grounded segment list.jsonl \"dog . cat\" --out shared/out --shard 0/8\n" +
            "  grounded dataset merge shared/out --out dataset.json --format coco,yolo\n" +
            "  grounded models pull\n\n" +
            ExitCodes.HelpText)
        {
            SegmentCommand.Create(output, error),
            DetectCommand.Create(output, error),
            EverythingCommand.Create(output, error),
            EditCommands.Remove(output, error),
            EditCommands.Replace(output, error),
            InpaintCommand.Create(output, error),
            RunCommand.Create(output, error),
            ModelsCommand.Create(output, error),
            DatasetCommand.Create(output, error),
            McpCommand.Create(error),
            ServeCommand.Create(output, error),
        };
        return root;
    }

    /// <summary>Runs the command line; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = Build(output, error);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                error.WriteLine($"error: {e.Message}");
            }

            // Point at the help of the command that was asked for, not the root's.
            var names = new List<string>();
            for (var c = parse.CommandResult.Command; c is not null and not RootCommand; c = c.Parents.OfType<System.CommandLine.Command>().FirstOrDefault())
            {
                names.Insert(0, c.Name);
            }

            string command = string.Join(' ', names);
            error.WriteLine(parse.CommandResult.Command is RootCommand ? "Run 'grounded --help' for usage." : $"Run 'grounded {command} --help' for usage.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken).ConfigureAwait(false);
    }
}
