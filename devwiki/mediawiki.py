"""Debian's MediaWiki as the farm uses it: packages, installer, LocalSettings, maintenance scripts."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from devwiki.wikis import WikiSpec

MW_ROOT = Path("/usr/share/mediawiki")
PACKAGES = ("mediawiki", "php-cli", "php-sqlite3", "php-intl", "php-mbstring", "php-xml")
PHP_DIR = Path(__file__).resolve().parent / "php"
# Extensions Debian's mediawiki package bundles that the farm loads: ParserFunctions for the
# templates' #if, TemplateData for their forms in the visual editor (and action=templatedata),
# InputBox for the "start an event" box. They are loaded while the history is imported too, so
# the farm's cache key includes this list (devwiki.farm.build_key).
EXTENSIONS = ("ParserFunctions", "TemplateData", "InputBox")


class FarmError(Exception):
    """Something the person running the farm must act on; the message says what."""


def ensure_packages() -> None:
    """Install Debian's MediaWiki and PHP when they are missing (as root), else say how to."""
    if _have_packages():
        return
    if os.geteuid() != 0:
        raise FarmError(
            "MediaWiki is not installed. Run as root, or first: "
            f"sudo apt-get install --no-install-recommends {' '.join(PACKAGES)}"
        )
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *PACKAGES],
    ):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise FarmError(f"`{' '.join(cmd)}` failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    if not _have_packages():
        raise FarmError("apt-get installed the packages but MediaWiki or PHP's sqlite3 is still missing")


def _have_packages() -> bool:
    if not (MW_ROOT / "maintenance" / "install.php").exists() or shutil.which("php") is None:
        return False
    modules = subprocess.run(["php", "-m"], capture_output=True, text=True).stdout.split()
    return {"pdo_sqlite", "mbstring", "xml", "intl"} <= set(modules)


def install(spec: WikiSpec, db_dir: Path, admin_password: str) -> None:
    """Create the wiki's SQLite database with MediaWiki's own installer."""
    db_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as conf:
        # The installer's LocalSettings.php is thrown away: the farm writes its own on each start
        # (ports and paths change), keeping only the database the installer created.
        cmd = [
            "php", str(MW_ROOT / "maintenance" / "install.php"),
            "--dbtype", "sqlite", "--dbpath", str(db_dir), "--dbname", spec.dbname,
            "--server", "http://127.0.0.1", "--scriptpath", "", "--confpath", conf,
            "--lang", spec.lang, "--pass", admin_password, spec.sitename, "Admin",
        ]  # fmt: skip
        done = subprocess.run(cmd, capture_output=True, text=True, env=_php_env(None))
        if done.returncode != 0 or not (db_dir / f"{spec.dbname}.sqlite").exists():
            raise FarmError(
                f"MediaWiki's installer failed for {spec.dbname}:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
            )


def local_settings(spec: WikiSpec, db_dir: Path, server: str, secret: str, upload_dir: Path) -> str:
    """The LocalSettings.php of one farm wiki."""
    uploads = "true" if spec.uploads else "false"
    return f"""<?php
// Written by `python -m devwiki start`; rewritten on every start.
if ( !defined( 'MEDIAWIKI' ) ) {{ exit; }}
require_once "$IP/includes/PlatformSettings.php";
$wgSitename = {_php(spec.sitename)};
$wgServer = {_php(server)};
$wgScriptPath = "";
$wgResourceBasePath = $wgScriptPath;
$wgDBtype = "sqlite";
$wgDBname = {_php(spec.dbname)};
$wgSQLiteDataDir = {_php(str(db_dir))};
$wgObjectCaches[CACHE_DB] = [
    'class' => SqlBagOStuff::class,
    'server' => [ 'type' => 'sqlite', 'dbname' => 'wikicache', 'tablePrefix' => '',
        'variables' => [ 'synchronous' => 'NORMAL' ], 'dbDirectory' => $wgSQLiteDataDir,
        'trxMode' => 'IMMEDIATE', 'flags' => 0 ],
];
$wgLocalisationCacheConf['storeServer'] = [ 'type' => 'sqlite', 'dbname' => "{{$wgDBname}}_l10n_cache",
    'tablePrefix' => '', 'variables' => [ 'synchronous' => 'NORMAL' ], 'dbDirectory' => $wgSQLiteDataDir,
    'trxMode' => 'IMMEDIATE', 'flags' => 0 ];
$wgJobTypeConf['default'] = [ 'class' => 'JobQueueDB', 'claimTTL' => 3600,
    'server' => [ 'type' => 'sqlite', 'dbname' => "{{$wgDBname}}_jobqueue", 'tablePrefix' => '',
        'variables' => [ 'synchronous' => 'NORMAL' ], 'dbDirectory' => $wgSQLiteDataDir,
        'trxMode' => 'IMMEDIATE', 'flags' => 0 ] ];
$wgMainCacheType = CACHE_NONE;
$wgLanguageCode = {_php(spec.lang)};
$wgLocaltimezone = "UTC";
$wgSecretKey = {_php(secret)};
$wgEnableEmail = false;
$wgEnableUploads = {uploads};
$wgUploadDirectory = {_php(str(upload_dir))};
$wgUseInstantCommons = false;
$wgPingback = false;
$wgEnableBotPasswords = true;
// A dev farm: no throttles between the tool's tests and the wiki, readable errors.
$wgRateLimits = [];
$wgPasswordAttemptThrottle = [];
$wgAccountCreationThrottle = [];
$wgShowExceptionDetails = true;
$wgJobRunRate = 0;
$wgDefaultSkin = "vector";
wfLoadSkin( 'Vector' );
{_load_extensions()}
"""


def _load_extensions() -> str:
    return "\n".join(f"wfLoadExtension( {_php(name)} );" for name in EXTENSIONS)


def _php(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _php_env(settings: Path | None) -> dict[str, str]:
    env = dict(os.environ, MW_INSTALL_PATH=str(MW_ROOT))
    if settings is not None:
        env["MW_CONFIG_FILE"] = str(settings)
    return env


def maintenance(settings: Path, script: str, *args: str, stdin: str = "") -> str:
    """Run a maintenance script (MediaWiki's, or one of ours from devwiki/php) against one wiki."""
    path = PHP_DIR / script if (PHP_DIR / script).exists() else MW_ROOT / "maintenance" / script
    done = subprocess.run(
        ["php", str(path), *args], input=stdin, capture_output=True, text=True, env=_php_env(settings)
    )
    if done.returncode != 0:
        raise FarmError(f"{script} {' '.join(args)} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return done.stdout


def maintenance_process(settings: Path, script: str, *args: str) -> subprocess.Popen[str]:
    """Start a long maintenance script (an import) so several wikis can run side by side."""
    path = MW_ROOT / "maintenance" / script
    return subprocess.Popen(
        ["php", str(path), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=_php_env(settings),
    )


def serve(settings: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """PHP's built-in server for one wiki, in its own session so stop can end its workers too."""
    env = _php_env(settings)
    env["PHP_CLI_SERVER_WORKERS"] = "4"
    with log.open("ab") as out:
        return subprocess.Popen(
            ["php", "-S", f"127.0.0.1:{port}", "-t", str(MW_ROOT)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
