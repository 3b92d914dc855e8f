// The tests share host resources (namespaces, ports inside them, CPU for iperf3): run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
