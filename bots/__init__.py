"""pywikibot jobs: the nightly outcomes writer (DESIGN §8)."""
