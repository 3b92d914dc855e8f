using BenchmarkDotNet.Running;

// Usage: dotnet run -c Release -- --job Short --filter '*Gcm*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
