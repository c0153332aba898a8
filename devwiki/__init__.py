"""The local MediaWiki farm for development, tests, the demo and benchmarks (DESIGN §11)."""
