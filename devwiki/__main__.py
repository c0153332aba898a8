"""python -m devwiki start|stop|status|reset [--profile test|demo|bench] [--base-port N] [--json]

start also serves the OAuth gateway (devwiki/gateway) on the port after the wikis'.
"""

from __future__ import annotations

import argparse
import json
import sys

from devwiki import farm as farm_module
from devwiki.generator import PROFILES
from devwiki.mediawiki import FarmError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devwiki", description="The local MediaWiki farm.")
    parser.add_argument("command", choices=["start", "stop", "status", "reset", "build"])
    parser.add_argument("--profile", default="demo", choices=sorted(PROFILES))
    parser.add_argument("--base-port", type=int, default=None, help="first of the farm's consecutive ports")
    parser.add_argument("--json", action="store_true", help="status: print the status document as JSON")
    parser.add_argument(
        "--oauth-callback",
        default=farm_module.DEFAULT_OAUTH_CALLBACK,
        help="start: where the OAuth gateway returns after its consent page (the tool's /oauth-callback)",
    )
    args = parser.parse_args(argv)
    farm = farm_module.farm_for(args.profile, args.base_port)
    log = (lambda message: print(message, file=sys.stderr)) if args.json else print
    try:
        if args.command == "build":
            farm_module.build(farm, log)
        elif args.command == "start":
            status = farm_module.start(farm, log, oauth_callback=args.oauth_callback)
            if args.json:
                print(json.dumps(status, indent=2))
        elif args.command == "stop":
            print("stopped" if farm_module.stop(farm) else "not running")
        elif args.command == "reset":
            farm_module.reset(farm)
            print(f"reset: the next start copies the seeded {args.profile} databases again")
        else:
            return _status(farm, args.json)
    except FarmError as e:
        print(f"devwiki: {e}", file=sys.stderr)
        return 1
    return 0


def _status(farm: farm_module.Farm, as_json: bool) -> int:
    status = farm_module.live_status(farm)
    if as_json:
        print(json.dumps(status, indent=2))
    elif not status["wikis"]:
        print(f"the {farm.profile.name} farm is not running")
    else:
        for name, info in status["wikis"].items():
            print(f"{name:12} {info['api']:40} {'running' if info['running'] else 'stopped'}")
        if "oauth" in status:
            gateway = status["oauth"]
            print(f"{'oauth':12} {gateway['index']:40} {'running' if gateway['running'] else 'stopped'}")
        print(f"credentials: {status['credentials']}")
    return 0 if status["running"] else 3


if __name__ == "__main__":
    sys.exit(main())
