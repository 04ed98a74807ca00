"""Running scenarios: one run, ensembles, comparisons and sweeps, and their files."""
