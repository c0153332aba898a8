"""python -m devwiki.gateway STATUS_FILE PORT: serve the farm's OAuth gateway (devwiki start runs it)."""

from __future__ import annotations

import sys
from pathlib import Path

from werkzeug.serving import make_server

from devwiki.gateway.app import create_gateway


def main(argv: list[str]) -> int:
    status_file, port = Path(argv[0]), int(argv[1])
    # Threaded: the consent page's redirect and the tool's token request can overlap.
    make_server("127.0.0.1", port, create_gateway(status_file), threaded=True).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
