"""What makes a run fast and never changes a finding: the prefilter, the pack cache,
the cache of results of unchanged files."""
