using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "profile-amg")
{
    Grounded.Benchmarks.AmgProfile.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Grounded.Benchmarks.SyntheticImages).Assembly).Run(args);
