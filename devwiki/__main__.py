"""python -m devwiki start|stop|status|reset|faults [--profile test|demo|bench] [--base-port N] [--json]

start also serves the OAuth gateway (devwiki/gateway) on the port after the wikis'. faults serves
the started farm again through the fault proxy (devwiki/faults.py) until interrupted, and says
which TOOL_FARM to use.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys

from devwiki import farm as farm_module
from devwiki.faults import KINDS, FaultPlan, FaultProxy
from devwiki.generator import PROFILES
from devwiki.mediawiki import FarmError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devwiki", description="The local MediaWiki farm.")
    parser.add_argument("command", choices=["start", "stop", "status", "reset", "build", "faults"])
    parser.add_argument("--profile", default="demo", choices=sorted(PROFILES))
    parser.add_argument("--base-port", type=int, default=None, help="first of the farm's consecutive ports")
    parser.add_argument("--json", action="store_true", help="status: print the status document as JSON")
    parser.add_argument(
        "--oauth-callback",
        default=farm_module.DEFAULT_OAUTH_CALLBACK,
        help="start: where the OAuth gateway returns after its consent page (the tool's /oauth-callback)",
    )
    faults = parser.add_argument_group("faults")
    faults.add_argument("--rate", type=float, default=0.1, help="share of requests that get a fault")
    faults.add_argument("--seed", type=int, default=0, help="the same seed replays the same faults")
    faults.add_argument("--kinds", default=",".join(KINDS), help="comma-separated fault kinds")
    faults.add_argument("--stall", type=float, default=90.0, help="seconds a stalled request hangs")
    faults.add_argument("--retry-after", type=int, default=1, help="Retry-After of maxlag, 429, 503")
    faults.add_argument("--page-limit", type=int, default=None, help="rows an answer to limit=max holds")
    faults.add_argument("--delay", type=float, default=0.0, help="seconds every answer waits")
    faults.add_argument("--port", type=int, default=0, help="the proxy's port (default: a free one)")
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
        elif args.command == "faults":
            return _serve_faults(farm, args)
        elif args.command == "reset":
            farm_module.reset(farm)
            print(f"reset: the next start copies the seeded {args.profile} databases again")
        else:
            return _status(farm, args.json)
    except FarmError as e:
        print(f"devwiki: {e}", file=sys.stderr)
        return 1
    return 0


def _serve_faults(farm: farm_module.Farm, args: argparse.Namespace) -> int:
    status = farm_module.read_status(farm)
    if status is None:
        raise FarmError(f"the {farm.profile.name} farm is not running: start it first")
    plan = FaultPlan(
        rate=args.rate,
        kinds=tuple(kind.strip() for kind in args.kinds.split(",") if kind.strip()),
        seed=args.seed,
        retry_after=args.retry_after,
        stall=args.stall,
        page_limit=args.page_limit,
        delay=args.delay,
    )
    # Blocked before the proxy's threads start (they inherit it), so sigwait below receives them.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    with FaultProxy.for_farm(status, plan, port=args.port) as proxy:
        path = proxy.write_farm(status, farm.run_dir / "farm-faults.json")
        print(f"fault proxy on port {proxy.port}: TOOL_FARM={path} (Ctrl-C stops it)", flush=True)
        try:
            signal.sigwait({signal.SIGINT, signal.SIGTERM})
        finally:
            print(proxy.summary())
            for injected in proxy.log:
                print(f"  {injected.route} #{injected.number}: {injected.kind} ({injected.request})")
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
