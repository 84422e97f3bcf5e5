using System.CommandLine;
using Grounded.Models;

namespace Grounded.Cli.Commands;

/// <summary><c>grounded models list|pull|verify|path</c>: the model cache.</summary>
internal static class ModelsCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("models", "List, download and verify model sets (stored in GROUNDED_MODELS_DIR or a per-user cache).");
        var modelsDir = new Option<string?>("--models-dir") { Description = "Where model sets are cached (default GROUNDED_MODELS_DIR, else a per-user cache).", Recursive = true };
        command.Add(modelsDir);

        var list = new Command("list", "The known model sets, the defaults, and whether each is installed.");
        CliAction.Set(list, error, null, (parse, _) =>
        {
            var (store, manifest) = Open(parse.GetValue(modelsDir));
            output.WriteLine($"Models folder: {store.Root}");
            foreach (var set in manifest.Sets)
            {
                bool isDefault = manifest.Defaults.TryGetValue(set.Kind, out var d) && d == set.Name;
                string state = store.Missing(set).Count == 0 ? "installed" : "not installed";
                output.WriteLine($"  {set.Name,-26} {set.Kind,-9} {state,-13}{(isDefault ? " (default)" : string.Empty)}  {set.Repo}@{Short(set.Revision)}");
                output.WriteLine($"  {string.Empty,-26} {set.Description}");
            }

            return Task.FromResult(ExitCodes.Success);
        });

        var name = new Argument<string?>("name") { Description = "A set name (default: the default detector and segmenter).", Arity = ArgumentArity.ZeroOrOne };
        var pull = new Command("pull", "Download a set (resumes partial downloads, checks SHA-256, records a lock file).") { name };
        CliAction.Set(pull, error, null, async (parse, cancellationToken) =>
        {
            var (store, manifest) = Open(parse.GetValue(modelsDir));
            foreach (var set in Sets(manifest, parse.GetValue(name)))
            {
                error.WriteLine($"Pulling {set.Name} ({set.Repo}@{Short(set.Revision)}) into {store.FolderOf(set)} …");
                var bar = ConsoleProgress.For(error);
                await store.PullAsync(set, new Progress<DownloadProgress>(p => bar.Report(Path.GetFileName(p.File), p.Total is long t && t > 0 ? (double)p.Received / t : 0, $"{p.Received / 1048576.0:0.0} MiB")), cancellationToken).ConfigureAwait(false);
                store.Verify(set, rehashAll: false);
                output.WriteLine($"{set.Name}: ready in {store.FolderOf(set)}");
            }

            return ExitCodes.Success;
        });

        var verifyName = new Argument<string?>("name") { Description = "A set name (default: every installed set).", Arity = ArgumentArity.ZeroOrOne };
        var verify = new Command("verify", "Re-hash a set's files and compare with the lock file.") { verifyName };
        CliAction.Set(verify, error, null, (parse, _) =>
        {
            var (store, manifest) = Open(parse.GetValue(modelsDir));
            string? requested = parse.GetValue(verifyName);
            var sets = requested is null ? manifest.Sets.Where(s => store.Missing(s).Count == 0).ToList() : [manifest.Get(requested)];
            if (sets.Count == 0)
            {
                output.WriteLine("No model set is installed.");
            }

            foreach (var set in sets)
            {
                foreach (string line in store.Verify(set, rehashAll: true))
                {
                    output.WriteLine($"{set.Name}: {line}");
                }
            }

            return Task.FromResult(ExitCodes.Success);
        });

        var pathName = new Argument<string?>("name") { Description = "A set name (default: the models folder).", Arity = ArgumentArity.ZeroOrOne };
        var path = new Command("path", "Print the models folder, or one set's folder.") { pathName };
        CliAction.Set(path, error, null, (parse, _) =>
        {
            var (store, manifest) = Open(parse.GetValue(modelsDir));
            string? requested = parse.GetValue(pathName);
            output.WriteLine(requested is null ? store.Root : store.FolderOf(manifest.Get(requested)));
            return Task.FromResult(ExitCodes.Success);
        });

        command.Add(list);
        command.Add(pull);
        command.Add(verify);
        command.Add(path);
        return command;
    }

    private static (ModelStore Store, ModelManifest Manifest) Open(string? root) => (new ModelStore(root), ModelManifest.Load());

    private static IEnumerable<ModelSet> Sets(ModelManifest manifest, string? name) =>
        name is null ? [manifest.Default("detector"), manifest.Default("segmenter")] : [manifest.Get(name)];

    private static string Short(string revision) => revision.Length > 12 ? revision[..12] : revision;
}
