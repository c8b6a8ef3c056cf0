using Xunit;

// The end-to-end tests start real incps processes; two at a time keeps a 2-core CI box responsive.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
