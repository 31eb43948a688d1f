"""Demo data: the Oost-Nederland dataset and deterministic synthetic catalogues for benchmarks."""
