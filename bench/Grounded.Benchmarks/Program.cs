using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Grounded.Benchmarks.SyntheticImages).Assembly).Run(args);
