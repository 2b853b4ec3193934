"""Benchmarks: scripts that measure, never tests (their timings assert nothing). See bench/README.md."""
