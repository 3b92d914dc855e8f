namespace SharpSwan.Platform.Tests;

public sealed class GroTrainTests
{
    private static List<byte[]> Split(byte[] train, int segmentSize)
    {
        var segments = new List<byte[]>();
        foreach (var segment in new GroTrain(train, segmentSize))
        {
            segments.Add(segment.ToArray());
        }

        return segments;
    }

    private static byte[] Train(params int[] sizes)
    {
        var train = new List<byte>();
        for (var i = 0; i < sizes.Length; i++)
        {
            train.AddRange(Enumerable.Repeat((byte)(i + 1), sizes[i]));
        }

        return [.. train];
    }

    [Fact]
    public void EqualSegmentsAndAShorterLast_AreSplitAtTheSegmentSize()
    {
        var segments = Split(Train(100, 100, 100, 37), 100);

        Assert.Equal([100, 100, 100, 37], segments.Select(s => s.Length));
        for (var i = 0; i < segments.Count; i++)
        {
            Assert.All(segments[i], b => Assert.Equal((byte)(i + 1), b));
        }
    }

    [Fact]
    public void TrainOfWholeSegments_HasNoEmptyTail()
    {
        var segments = Split(Train(64, 64, 64), 64);

        Assert.Equal([64, 64, 64], segments.Select(s => s.Length));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(300)]
    [InlineData(1000)]
    public void NoSegmentSizeOrOneNotSmallerThanTheDatagram_IsOneDatagram(int segmentSize)
    {
        var segments = Split(Train(300), segmentSize);

        Assert.Single(segments);
        Assert.Equal(300, segments[0].Length);
    }

    [Fact]
    public void EmptyDatagram_HasNoSegments() => Assert.Empty(Split([], 0));

    [Fact]
    public void Segments_AreSlicesOfTheTrain_SoDecryptingInPlaceChangesTheTrain()
    {
        var train = Train(10, 10);
        foreach (var segment in new GroTrain(train, 10))
        {
            segment[0] = 0xee;
        }

        Assert.Equal(0xee, train[0]);
        Assert.Equal(0xee, train[10]);
        Assert.Equal(1, train[1]);
    }
}
