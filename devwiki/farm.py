"""The local wiki farm: build seeded databases once per profile, then start, stop and report.

Layout (under the repository, both git-ignored):
  .devwiki-cache/<profile>-<key>/   pristine seeded databases, reused while the generator's
                                     parameters are unchanged (so a second start takes seconds)
  .devwiki/<profile>/               the running copy: databases, LocalSettings, logs, farm.json
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from devwiki import mediawiki
from devwiki.gateway.tokens import register_consumer
from devwiki.generator import PROFILES, History, Profile, generate, write_dump
from devwiki.mediawiki import FarmError
from devwiki.seed import SeedUser
from devwiki.wikis import BASE_PORTS, WIKIS, WikiSpec
from tool.wiki import templatefiles

#: Where the devwiki package is (the gateway runs as `python -m devwiki.gateway` from here).
CODE_ROOT = Path(__file__).resolve().parent.parent
ROOT = Path(os.environ.get("DEVWIKI_HOME", CODE_ROOT))
BOT_USER = "OutcomesBot"
BOT_APP = "outcomes"
# Bump when the build steps change what ends up in the databases, so stale caches are rebuilt.
BUILD_VERSION = "2"  # 2: the bot's run page
#: Where the OAuth gateway sends the user back after the consent page: `make demo`'s tool.
DEFAULT_OAUTH_CALLBACK = "http://127.0.0.1:5000/oauth-callback"


@dataclass(frozen=True)
class Farm:
    profile: Profile
    base_port: int

    @property
    def run_dir(self) -> Path:
        return ROOT / ".devwiki" / self.profile.name

    @property
    def cache_dir(self) -> Path:
        return ROOT / ".devwiki-cache" / f"{self.profile.name}-{build_key(self.profile)}"

    @property
    def status_file(self) -> Path:
        return self.run_dir / "farm.json"

    @property
    def credentials_file(self) -> Path:
        return self.run_dir / "credentials.json"

    @property
    def consumer_file(self) -> Path:
        """The OAuth gateway's one consumer (key, secret, callback): the tool's, owner-only."""
        return self.run_dir / "oauth-consumer.json"

    def port(self, spec: WikiSpec) -> int:
        return self.base_port + spec.port_offset

    @property
    def gateway_port(self) -> int:
        """The OAuth gateway's port: the one after the wikis'."""
        return self.base_port + len(WIKIS)


def build_key(profile: Profile) -> str:
    """Changes whenever anything that ends up in the seeded databases does.

    That is the generator's parameters and version, the build steps (BUILD_VERSION), the
    extensions loaded while the history is imported (TemplateData records a template's
    parameters as its page is saved) and the shipped templates' text — so a clone or an old
    cache with other templates is rebuilt, never used.
    """
    parts = {
        "profile": profile.cache_key(),
        "build": BUILD_VERSION,
        "extensions": mediawiki.EXTENSIONS,
        "templates": templatefiles.digest(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def farm_for(profile_name: str, base_port: int | None = None) -> Farm:
    if profile_name not in PROFILES:
        raise FarmError(f"unknown profile {profile_name!r}; choose one of {', '.join(PROFILES)}")
    return Farm(PROFILES[profile_name], base_port or BASE_PORTS[profile_name])


# --- build -----------------------------------------------------------------------------------


def build(farm: Farm, log: Any = print) -> None:
    """Create the seeded databases in the cache, unless they are there already."""
    if (farm.cache_dir / "manifest.json").exists():
        return
    mediawiki.ensure_packages()
    tmp = farm.cache_dir.with_name(farm.cache_dir.name + ".building")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    started = time.monotonic()
    log(f"devwiki: generating the {farm.profile.name} history …")
    history = generate(farm.profile)
    creds = _new_credentials()
    for spec in WIKIS:
        log(f"devwiki: installing {spec.dbname} …")
        mediawiki.install(spec, tmp / spec.dbname, creds["admin"]["password"])
        settings = _write_settings(spec, tmp / spec.dbname, tmp / "conf", "http://127.0.0.1", creds["secret"])
        _create_accounts(history, settings, tmp, creds)
        _create_bot_password(settings, creds)
        if spec.dbname == "metawiki":  # the home wiki, where the bot writes
            _allow_the_bot(settings)
    _import_histories(history, tmp, log)
    (tmp / "credentials.json").write_text(json.dumps(creds, indent=2))
    manifest = {
        "profile": farm.profile.name,
        "cache_key": build_key(farm.profile),
        "revisions": len(history.revisions),
        "users": len(history.users),
        "built_at": datetime.now().isoformat(timespec="seconds"),
        "build_seconds": round(time.monotonic() - started, 1),
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2))
    shutil.rmtree(tmp / "conf", ignore_errors=True)
    for dump in tmp.glob("*.xml"):
        dump.unlink()
    shutil.rmtree(farm.cache_dir, ignore_errors=True)
    tmp.rename(farm.cache_dir)
    log(f"devwiki: built {farm.profile.name} in {manifest['build_seconds']} s")


def _new_credentials() -> dict[str, Any]:
    # Passwords are random per build: a dev farm on 127.0.0.1, but still no well-known password.
    return {
        "secret": secrets.token_hex(32),
        "admin": {"username": "Admin", "password": "Admin-" + secrets.token_urlsafe(12)},
        "bot": {
            "username": BOT_USER,
            "password": "Bot-" + secrets.token_urlsafe(12),
            "botpassword_user": f"{BOT_USER}@{BOT_APP}",
            "botpassword": secrets.token_hex(16),
        },
        "participants": {"password": "Participant-" + secrets.token_urlsafe(12)},
    }


def _write_settings(spec: WikiSpec, db_dir: Path, conf_dir: Path, server: str, secret: str) -> Path:
    path = conf_dir / spec.dbname / "LocalSettings.php"
    path.parent.mkdir(parents=True, exist_ok=True)
    uploads = db_dir.parent / "images" / spec.dbname
    uploads.mkdir(parents=True, exist_ok=True)
    path.write_text(mediawiki.local_settings(spec, db_dir, server, secret, uploads))
    return path


def _create_accounts(history: History, settings: Path, work: Path, creds: dict[str, Any]) -> None:
    # Every account exists on every wiki (there is no CentralAuth here); registration dates are the
    # generator's, so "earliest on the tracked wikis" is that date.
    passwords = login_passwords(history.users, creds)
    accounts: list[dict[str, Any]] = [
        {
            "name": user.name,
            "registration": user.registration.strftime("%Y%m%d%H%M%S"),
            "password": passwords.get(user.name),
        }
        for user in history.users
    ]
    accounts.append(
        {
            "name": BOT_USER,
            "registration": "20200101000000",
            "password": creds["bot"]["password"],
            "groups": ["bot"],
        }
    )
    path = work / "accounts.json"
    path.write_text(json.dumps(accounts))
    mediawiki.maintenance(settings, "CreateAccounts.php", str(path))


def login_passwords(users: list[SeedUser], creds: dict[str, Any]) -> dict[str, str]:
    """The generated accounts one can log in as, with their passwords: the organizers first.

    Hashing a password costs ~50 ms, so only the people a demo or test logs in as get one: the
    organizers and the first ten participants. The OAuth gateway offers exactly these.
    """
    chosen = [user for index, user in enumerate(users) if index < 10 or user.role == "organizer"]
    chosen.sort(key=lambda user: user.role != "organizer")
    return {user.name: creds["participants"]["password"] for user in chosen}


def _create_bot_password(settings: Path, creds: dict[str, Any]) -> None:
    grants = "basic,highvolume,editpage,createeditmovepage,editprotected,uploadfile"
    bot = creds["bot"]
    mediawiki.maintenance(
        settings,
        "createBotPassword.php",
        "--appid",
        BOT_APP,
        "--grants",
        grants,
        BOT_USER,
        bot["botpassword"],
    )


#: The outcomes bot writes only while this page says "yes" (bots/outcomes_bot.py): on the farm it does.
RUN_PAGE = f"User:{BOT_USER}/Run"


def _allow_the_bot(settings: Path) -> None:
    mediawiki.maintenance(
        settings,
        "edit.php",
        "--user",
        BOT_USER,
        "--bot",
        "--summary",
        "The bot may write.",
        RUN_PAGE,
        stdin="yes",
    )


def _import_histories(history: History, work: Path, log: Any) -> None:
    """importDump.php per wiki, two at a time (the machines have two cores)."""
    pending = list(WIKIS)
    running: list[tuple[WikiSpec, Any, int]] = []
    while pending or running:
        while pending and len(running) < 2:
            spec = pending.pop(0)
            dump = work / f"{spec.dbname}.xml"
            with dump.open("wb") as out:
                count = write_dump(history, spec.dbname, out)
            settings = work / "conf" / spec.dbname / "LocalSettings.php"
            # Link tables matter on metawiki only (event discovery uses embeddedin); skipping the
            # updates elsewhere keeps the bench import within minutes.
            extra = [] if spec.dbname == "metawiki" else ["--no-updates"]
            proc = mediawiki.maintenance_process(
                settings, "importDump.php", "--username-prefix=", "--quiet", *extra, str(dump)
            )
            log(f"devwiki: importing {count} revisions into {spec.dbname} …")
            running.append((spec, proc, count))
        spec, proc, count = running.pop(0)
        output, _ = proc.communicate()
        if proc.returncode != 0:
            raise FarmError(f"importDump.php failed for {spec.dbname}:\n{output[-3000:]}")


# --- run -------------------------------------------------------------------------------------


def start(farm: Farm, log: Any = print, oauth_callback: str = DEFAULT_OAUTH_CALLBACK) -> dict[str, Any]:
    """Start every wiki of the farm and its OAuth gateway (building it first if needed).

    Returns the status document. ``oauth_callback`` is where the gateway's consent page returns
    to: the running tool's /oauth-callback.
    """
    current = read_status(farm)
    up = current is not None and all(_alive(w["pid"]) for w in current["wikis"].values())
    if current and up and current.get("cache_key") != build_key(farm.profile):
        # Built from other templates, extensions or generator: serve the current seed instead.
        log(f"devwiki: the running {farm.profile.name} farm was built from an older seed; restarting it …")
        stop(farm)
        up = False
    if current and up:
        if current["base_port"] != farm.base_port:
            raise FarmError(
                f"the {farm.profile.name} farm already runs on ports from {current['base_port']}; "
                "stop it first (python -m devwiki stop)"
            )
        register_consumer(farm.consumer_file, oauth_callback)
        if not _alive(current.get("oauth", {}).get("pid")):
            _check_port(farm.gateway_port, "the OAuth gateway", farm)
            current = _start_gateway(farm, current)
        return current
    check_ports(farm)
    build(farm, log)
    _prepare_run_dir(farm)
    creds = json.loads((farm.run_dir / "credentials.json").read_text())
    wikis: dict[str, Any] = {}
    for spec in WIKIS:
        server = spec.server(farm.base_port)
        settings = _write_settings(
            spec, farm.run_dir / spec.dbname, farm.run_dir / "conf", server, creds["secret"]
        )
        proc = mediawiki.serve(settings, farm.port(spec), farm.run_dir / "logs" / f"{spec.dbname}.log")
        wikis[spec.dbname] = {
            "dbname": spec.dbname,
            "lang": spec.lang,
            "server": server,
            "api": f"{server}/api.php",
            "rest": f"{server}/rest.php",
            "index": f"{server}/index.php",
            "port": farm.port(spec),
            "pid": proc.pid,
            "settings": str(settings),
        }
    status = {
        "profile": farm.profile.name,
        "cache_key": build_key(farm.profile),
        "base_port": farm.base_port,
        "home_wiki": "metawiki",
        "wikis": wikis,
        "credentials": str(farm.credentials_file),
        # The tool's FARM setting points here (TOOL_FARM=<this path>).
        "status_file": str(farm.status_file),
        "bot": {"username": BOT_USER, "botpassword_user": f"{BOT_USER}@{BOT_APP}"},
    }
    _write_status(farm, status)
    for info in wikis.values():
        _wait_for_api(info["api"], farm.run_dir / "logs" / f"{info['dbname']}.log")
    register_consumer(farm.consumer_file, oauth_callback)
    running = _start_gateway(farm, status)
    servers = ", ".join(f"{name} {info['server']}" for name, info in wikis.items())
    log(f"devwiki: {farm.profile.name} farm up: {servers}; OAuth gateway {running['oauth']['index']}")
    return running


def _start_gateway(farm: Farm, wikis_up: dict[str, Any]) -> dict[str, Any]:
    """Serve the OAuth gateway (devwiki.gateway) beside the wikis; the status document gains "oauth"."""
    server = f"http://127.0.0.1:{farm.gateway_port}"
    status: dict[str, Any] = {
        **wikis_up,
        "oauth": {
            "server": server,
            # The tool's OAUTH_MW_URI on the farm, as https://meta.wikimedia.org/w/index.php on Meta.
            "index": f"{server}/index.php",
            # OAuth-signed API requests go here; the gateway sends them on as the authorizing account.
            "api": {name: f"{server}/{name}/api.php" for name in wikis_up["wikis"]},
            "consumer_file": str(farm.consumer_file),
            "port": farm.gateway_port,
        },
    }
    _write_status(farm, status)  # the gateway reads it as it starts
    log_path = farm.run_dir / "logs" / "oauth-gateway.log"
    with log_path.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "devwiki.gateway", str(farm.status_file), str(farm.gateway_port)],
            cwd=CODE_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # stop ends it with the wikis' servers
        )
    status["oauth"]["pid"] = proc.pid
    _write_status(farm, status)
    # An unsigned identify answers at once with an error document: the gateway is up.
    _wait_for(f"{server}/index.php?title=Special:OAuth/identify", log_path)
    return status


def _write_status(farm: Farm, status: dict[str, Any]) -> None:
    """Replace farm.json whole: the gateway and the tool may read it at any moment."""
    partial = farm.status_file.with_suffix(".json.partial")
    partial.write_text(json.dumps(status, indent=2))
    partial.replace(farm.status_file)


def _prepare_run_dir(farm: Farm) -> None:
    """Copy the pristine databases unless the run dir already holds this build (kept across restarts)."""
    manifest = farm.run_dir / "manifest.json"
    cached = (farm.cache_dir / "manifest.json").read_text()
    if manifest.exists() and manifest.read_text() == cached:
        return
    shutil.rmtree(farm.run_dir, ignore_errors=True)
    shutil.copytree(farm.cache_dir, farm.run_dir)
    (farm.run_dir / "logs").mkdir()
    farm.credentials_file.chmod(0o600)


def check_ports(farm: Farm) -> None:
    for spec in WIKIS:
        _check_port(farm.port(spec), spec.dbname, farm)
    _check_port(farm.gateway_port, "the OAuth gateway", farm)


def _check_port(port: int, what: str, farm: Farm) -> None:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            raise FarmError(
                f"port {port} (for {what}) is in use on 127.0.0.1. Stop what uses it, or pick "
                f"other ports: python -m devwiki start --profile {farm.profile.name} --base-port N "
                f"(the farm uses N to N+{len(WIKIS)})"
            ) from None


def _wait_for_api(api: str, log: Path, timeout: float = 30.0) -> None:
    _wait_for(f"{api}?action=query&meta=siteinfo&format=json", log, timeout)


def _wait_for(url: str, log: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise FarmError(f"{url} did not answer within {timeout:.0f} s; its server log ends:\n{tail}")
        time.sleep(0.2)


def stop(farm: Farm) -> bool:
    """Stop the farm's servers; True if anything was running."""
    status = read_status(farm)
    if not status:
        return False
    stopped = False
    servers = [*status["wikis"].values(), *([status["oauth"]] if "pid" in status.get("oauth", {}) else [])]
    for info in servers:
        if _alive(info["pid"]):
            os.killpg(info["pid"], signal.SIGTERM)
            stopped = True
    for info in servers:
        for _ in range(50):
            if not _alive(info["pid"]):
                break
            time.sleep(0.1)
        else:
            os.killpg(info["pid"], signal.SIGKILL)
    return stopped


def reset(farm: Farm) -> None:
    """Stop and throw the running copy away; the next start copies the pristine databases again."""
    stop(farm)
    shutil.rmtree(farm.run_dir, ignore_errors=True)


def read_status(farm: Farm) -> dict[str, Any] | None:
    if not farm.status_file.exists():
        return None
    data: dict[str, Any] = json.loads(farm.status_file.read_text())
    return data


def live_status(farm: Farm) -> dict[str, Any]:
    """The status document with each wiki's running state checked now."""
    status = read_status(farm)
    if status is None:
        return {"profile": farm.profile.name, "running": False, "wikis": {}}
    for info in status["wikis"].values():
        info["running"] = _alive(info["pid"])
    if "oauth" in status:
        status["oauth"]["running"] = _alive(status["oauth"].get("pid"))
    status["running"] = all(info["running"] for info in status["wikis"].values()) and bool(
        status.get("oauth", {}).get("running")
    )
    return status


def _alive(pid: int | None) -> bool:
    if not pid:
        return False  # never started (os.kill(0, …) would signal our own process group)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still "exists"; treat it as gone.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return True
