using SharpSwan.Esp;

namespace SharpSwan.Simulation.Tests.Units;

public sealed class TriggerQueueTests
{
    [Fact]
    public void Capacity_zero_refuses_every_packet_as_FortiOS_drops_them()
    {
        var queue = new TriggerQueue(0);
        Assert.False(queue.TryEnqueue([1, 2, 3], timestamp: 1));
        Assert.Equal(0, queue.Count);
        Assert.Equal(1, queue.Overflowed);
    }

    [Fact]
    public void Held_packets_are_released_oldest_first_as_copies()
    {
        var queue = new TriggerQueue(3);
        var first = new byte[] { 1 };
        Assert.True(queue.TryEnqueue(first, 10));
        Assert.True(queue.TryEnqueue([2, 2], 11));
        first[0] = 99;

        var sent = new List<byte[]>();
        Assert.Equal(2, queue.Release(sent.Add));
        Assert.Equal([new byte[] { 1 }, new byte[] { 2, 2 }], sent);
        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.HeldBytes);
        Assert.Equal(2, queue.Released);
    }

    [Fact]
    public void Memory_stays_bounded_by_capacity_and_by_the_largest_IP_packet()
    {
        var queue = new TriggerQueue(2);
        Assert.True(queue.TryEnqueue(new byte[1500], 1));
        Assert.True(queue.TryEnqueue(new byte[1500], 2));
        Assert.False(queue.TryEnqueue(new byte[1500], 3));
        Assert.False(new TriggerQueue(5).TryEnqueue(new byte[TriggerQueue.MaxPacketLength + 1], 1));
        Assert.False(new TriggerQueue(5).TryEnqueue([], 1));
        Assert.Equal(2, queue.Count);
        Assert.Equal(3000, queue.HeldBytes);
        Assert.Equal(1, queue.Overflowed);
    }

    [Fact]
    public void Full_counts_the_refusals_of_the_bound_and_not_those_of_a_queue_that_is_off()
    {
        var queue = new TriggerQueue(2);
        for (var i = 0; i < 10; i++)
        {
            queue.TryEnqueue(new byte[100], i);
        }

        var off = new TriggerQueue(0);
        off.TryEnqueue(new byte[100], 1);
        Assert.Equal(2, queue.Count);
        Assert.Equal(200, queue.HeldBytes);
        Assert.Equal(8, queue.Full);
        Assert.Equal(8, queue.Overflowed);
        Assert.Equal(0, off.Full);
        Assert.Equal(1, off.Overflowed);
    }

    [Fact]
    public void Discarding_counts_what_was_dropped_by_failure_or_by_age()
    {
        var queue = new TriggerQueue(8);
        for (var i = 0; i < 5; i++)
        {
            queue.TryEnqueue([(byte)i], timestamp: i * 10);
        }

        Assert.Equal(0, queue.OldestTimestamp);
        Assert.Equal(2, queue.DiscardOlderThan(20));
        Assert.Equal(20, queue.OldestTimestamp);
        Assert.Equal(3, queue.DiscardAll());
        Assert.Null(queue.OldestTimestamp);
        Assert.Equal(5, queue.Discarded);
        Assert.Equal(0, queue.HeldBytes);
    }

    [Fact]
    public void Shrinking_the_capacity_keeps_the_oldest_packets()
    {
        var queue = new TriggerQueue(4);
        for (var i = 0; i < 4; i++)
        {
            queue.TryEnqueue([(byte)i], i);
        }

        Assert.Equal(3, queue.Resize(1));
        var sent = new List<byte[]>();
        queue.Release(sent.Add);
        Assert.Equal([new byte[] { 0 }], sent);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TriggerQueue(-1));
    }
}
