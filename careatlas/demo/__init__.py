"""Demo providers and synthetic data files for `make run`, benchmarks and tests."""
