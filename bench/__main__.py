"""``make bench``: every benchmark in bench/, each printing its figures and ratios."""

from __future__ import annotations

import bench.parse
import bench.sync

if __name__ == "__main__":
    print("== parsing event pages: 10,000 participants, and hostile pages up to 2 MiB ==")
    bench.parse.main()
    print("\n== contribution sync and outcomes (bench farm) ==")
    bench.sync.main()
