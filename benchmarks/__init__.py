"""Benchmarks: extraction quality and speed against labelled pages (not part of the package)."""
