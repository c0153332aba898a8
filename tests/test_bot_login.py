"""The tool's bot logs in with the bot password of the configuration, on every wiki it syncs; a
refused or half-given password is one clear message, never a quiet anonymous sync."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.store_fixtures import migrated
from tool.cli import main
from tool.config import DEFAULTS
from tool.runtime import Runtime

pytestmark = pytest.mark.farm


def run(env: dict[str, str], monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return main(list(args))


def test_the_configured_bot_password_gets_the_higher_limits(
    farm: dict[str, Any], farm_credentials: dict[str, Any], tmp_path: Path
) -> None:
    bot = farm_credentials["bot"]
    rt = Runtime(
        {
            **DEFAULTS,
            "FARM": farm["status_file"],
            "INSTANCE_PATH": str(tmp_path),
            "BOT_USERNAME": bot["botpassword_user"],
            "BOT_PASSWORD": bot["botpassword"],
        }
    )
    for wiki in ("enwiki", "swwiki"):
        assert rt.bot_client(wiki).high_limits is True  # 500 people a request, not 50
        assert rt.client(wiki).high_limits is None  # the anonymous client is another identity
    assert (tmp_path / "cookies" / "enwiki.lwp").stat().st_mode & 0o777 == 0o600


def test_a_wrong_bot_password_stops_the_sync_with_one_message(
    farm: dict[str, Any],
    farm_credentials: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = farm_credentials["bot"]["botpassword_user"]
    env = {
        "TOOL_FARM": farm["status_file"],
        "TOOL_DATABASE_URL": migrated(f"sqlite:///{tmp_path / 'store.sqlite'}"),
        "TOOL_INSTANCE_PATH": str(tmp_path),
    }
    assert run(env, monkeypatch, "discover") == 0
    capsys.readouterr()
    wrong = {**env, "TOOL_BOT_USERNAME": user, "TOOL_BOT_PASSWORD": "not the bot password"}
    assert run(wrong, monkeypatch, "sync", "--all", "--now", "2026-11-01T00:00:00Z") == 1
    out, err = capsys.readouterr()
    assert out == ""  # the run stops at once: no event is synced anonymously, none half
    [line] = err.splitlines()
    assert line.startswith("error: The tool's bot could not log in to ")
    assert f" as {user}: " in line
    assert "BOT_PASSWORD" in line


def test_half_given_bot_credentials_refuse_to_start(
    farm: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {
        "TOOL_FARM": farm["status_file"],
        "TOOL_DATABASE_URL": f"sqlite:///{tmp_path / 'store.sqlite'}",
        "TOOL_BOT_USERNAME": "OutcomesBot@outcomes",
    }
    assert run(env, monkeypatch, "sync", "--all") == 1
    assert capsys.readouterr().err == (
        "error: The configuration sets BOT_USERNAME but not BOT_PASSWORD: give the tool's bot both (a "
        "bot password made at Special:BotPasswords), or neither to sync anonymously with the normal API "
        "limits.\n"
    )
