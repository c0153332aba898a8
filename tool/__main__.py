"""``python -m tool <command>``: the command line, in tool/cli."""

from tool.cli import main

raise SystemExit(main())
