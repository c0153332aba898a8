"""``make bench``: every benchmark in bench/, each printing its figures and ratios."""

from __future__ import annotations

import sys

import bench.nightly
import bench.parse
import bench.scale
import bench.sync
import bench.web

if __name__ == "__main__":
    print("== parsing event pages: 10,000 participants, and hostile pages up to 2 MiB ==")
    bench.parse.main()
    print("\n== contribution sync and outcomes (bench farm) ==")
    met = [bench.sync.main()]
    print("\n== scale: 1,000 events, 50,000 people, 5,000,000 contributions (SQLite, MariaDB) ==")
    bench.scale.main([])
    print("\n== nightly refresh of 1,000 events against a scripted API: requests against the floor ==")
    # Every benchmark runs even when an earlier one missed a target; the exit status says if any did.
    met += [bench.nightly.main([]), bench.nightly.main(["--high-limits"])]
    print("\n== the web tool under load: gunicorn on the 1,000-event store, 16 clients for 30 s ==")
    met.append(bench.web.main([]))
    sys.exit(0 if all(met) else 1)
