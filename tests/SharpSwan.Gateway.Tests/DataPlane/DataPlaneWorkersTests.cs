using SharpSwan.Gateway.DataPlane;

namespace SharpSwan.Gateway.Tests.DataPlane;

/// <summary>SHARPSWAN_DATAPLANE_WORKERS: one per core when unset, a count from 1 to 256, anything else refused with the reason.</summary>
public sealed class DataPlaneWorkersTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Unset_means_one_worker_per_core(string? text)
    {
        Assert.True(DataPlaneWorkers.TryParse(text, out var workers, out var error));
        Assert.Null(error);
        Assert.Equal(Math.Min(Environment.ProcessorCount, DataPlaneWorkers.Maximum), workers);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("2", 2)]
    [InlineData(" 16 ", 16)]
    [InlineData("256", 256)]
    public void A_count_in_range_is_taken(string text, int expected)
    {
        Assert.True(DataPlaneWorkers.TryParse(text, out var workers, out var error));
        Assert.Null(error);
        Assert.Equal(expected, workers);
    }

    [Theory]
    [InlineData("0", "1 to 256")]
    [InlineData("257", "1 to 256")]
    [InlineData("-2", "whole number")]
    [InlineData("two", "whole number")]
    [InlineData("1.5", "whole number")]
    public void Anything_else_is_refused_naming_the_value_and_the_reason(string text, string reason)
    {
        Assert.False(DataPlaneWorkers.TryParse(text, out _, out var error));
        Assert.NotNull(error);
        Assert.Contains($"{DataPlaneWorkers.VariableName}={text}", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_data_plane_has_the_workers_it_was_given()
    {
        using var two = new EspDataPlane(SharpSwan.Crypto.SystemRandomSource.Instance, TimeProvider.System, tunWorkers: 2);
        Assert.Equal(2, two.TunWorkerCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EspDataPlane(SharpSwan.Crypto.SystemRandomSource.Instance, TimeProvider.System, tunWorkers: DataPlaneWorkers.Maximum + 1));
    }
}
