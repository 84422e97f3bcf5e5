using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "profile-amg")
{
    Grounded.Benchmarks.AmgProfile.Run();
    return;
}

if (args.Length > 1 && args[0] == "profile-memory")
{
    await Grounded.Benchmarks.MemoryProfile.RunAsync(args[1]);
    return;
}

if (args.Length > 0 && args[0] == "profile-shards")
{
    await Grounded.Benchmarks.ShardThroughput.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40);
    return;
}

if (args.Length > 0 && args[0] == "profile-write")
{
    Grounded.Benchmarks.WriteProfile.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40);
    return;
}

if (args.Length > 0 && args[0] == "profile-hover")
{
    await Grounded.Benchmarks.HoverLatency.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200);
    return;
}

if (args.Length > 0 && args[0] == "table")
{
    await Grounded.Benchmarks.Table.SideBySide.RunAsync(args[1..]);
    return;
}

if (args.Length > 1 && args[0] == "table-row")
{
    await Grounded.Benchmarks.Table.SideBySide.RunRowAsync(args[1]);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Grounded.Benchmarks.SyntheticImages).Assembly).Run(args);
