using SharpFuzz;
using SharpSwan.Fuzz;

// sharpswan-fuzz TARGET                   run under afl-fuzz (SharpFuzz's out-of-process loop)
// sharpswan-fuzz TARGET --replay FILE...  run inputs once each in this process (regressions, seed checks)
// sharpswan-fuzz seeds DIR                write every target's seed corpus to DIR/TARGET/
// sharpswan-fuzz list                     the target names
return args switch
{
    ["list"] => List(),
    ["seeds", var dir] => Seeds(dir),
    [var name, "--replay", .. var files] => Replay(name, files),
    [var name] => Fuzz(name),
    _ => Usage(),
};

static int List()
{
    foreach (var name in FuzzTargets.Names)
    {
        Console.WriteLine(name);
    }

    return 0;
}

static int Seeds(string dir)
{
    foreach (var target in FuzzTargets.Names.Select(n => FuzzTargets.Create(n)!))
    {
        var targetDir = Directory.CreateDirectory(Path.Combine(dir, target.Name));
        foreach (var (name, data) in target.Seeds())
        {
            File.WriteAllBytes(Path.Combine(targetDir.FullName, name), data);
        }
    }

    return 0;
}

static int Replay(string name, string[] files)
{
    if (FuzzTargets.Create(name) is not { } target)
    {
        return Usage();
    }

    foreach (var file in files)
    {
        target.Run(File.ReadAllBytes(file));
    }

    Console.WriteLine($"{name}: {files.Length} inputs, no crash");
    return 0;
}

static int Fuzz(string name)
{
    if (!FuzzTargets.Names.Contains(name))
    {
        return Usage();
    }

    // Instrumented code may run only inside SharpFuzz's loop, where the coverage map exists: the target is built there.
    IFuzzTarget? target = null;
    var buffer = new MemoryStream();
    Fuzzer.OutOfProcess.Run(stream =>
    {
        target ??= FuzzTargets.Create(name)!;
        buffer.SetLength(0);
        stream.CopyTo(buffer);
        target.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    });
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine($"usage: sharpswan-fuzz {{{string.Join('|', FuzzTargets.Names)}}} [--replay FILE...] | seeds DIR | list");
    return 2;
}
