"""Benchmarks, run by hand with `make bench` (never by CI): they print figures and ratios."""
