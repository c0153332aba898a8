"""Configuration works empty, reads config.yaml, then TOOL_* environment variables."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tool.config import DEFAULTS, PLACEHOLDER_SECRET, load_config

ROOT = Path(__file__).resolve().parent.parent


def test_no_configuration_at_all_gives_sqlite_in_the_instance_folder(tmp_path: Path) -> None:
    config = load_config(tmp_path / "instance", {"TOOL_CONFIG_FILE": str(tmp_path / "absent.yaml")})
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'instance' / 'event-outcomes.sqlite'}"
    assert config["REDIS_URL"] is None
    # The generated session key is kept, so sessions survive a restart.
    again = load_config(tmp_path / "instance", {"TOOL_CONFIG_FILE": str(tmp_path / "absent.yaml")})
    assert len(config["SECRET_KEY"]) == 64
    assert again["SECRET_KEY"] == config["SECRET_KEY"]


def test_yaml_then_environment(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("REDIS_URL: redis://127.0.0.1:6379/3\nhome_wiki: testwiki\n")
    path.chmod(0o600)
    env = {"TOOL_CONFIG_FILE": str(path), "TOOL_HOME_WIKI": "envwiki"}
    config = load_config(tmp_path, env)
    assert config["REDIS_URL"] == "redis://127.0.0.1:6379/3"
    assert config["HOME_WIKI"] == "envwiki"


def test_a_world_readable_config_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("SECRET_KEY: x\n")
    path.chmod(0o644)
    with pytest.raises(Exception, match="world"):
        load_config(tmp_path, {"TOOL_CONFIG_FILE": str(path)})


def test_a_config_file_that_is_not_a_mapping_says_so(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("- just\n- a list\n")
    path.chmod(0o600)
    with pytest.raises(ValueError, match="expected a mapping"):
        load_config(tmp_path, {"TOOL_CONFIG_FILE": str(path)})


def test_the_example_documents_every_key() -> None:
    example = yaml.safe_load((ROOT / "config.yaml.example").read_text())
    assert set(example) == set(DEFAULTS)


def test_the_placeholder_secret_of_the_example_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text((ROOT / "config.yaml.example").read_text())  # copied as the example says
    path.chmod(0o600)
    assert yaml.safe_load(path.read_text())["SECRET_KEY"] == PLACEHOLDER_SECRET
    with pytest.raises(ValueError, match=r"SECRET_KEY is still the placeholder of config\.yaml\.example"):
        load_config(tmp_path / "instance", {"TOOL_CONFIG_FILE": str(path)})
    with pytest.raises(ValueError, match="placeholder"):
        load_config(tmp_path / "instance", {"TOOL_SECRET_KEY": PLACEHOLDER_SECRET})


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """umask 022, as on most systems: a file created without an explicit mode is world-readable."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("usual_umask")
def test_the_generated_secret_is_owner_only_from_the_first_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whatever changes the mode afterwards, the file must never have been readable by others:
    # record the mode the key file has whenever something is about to change it.
    modes_before_chmod: list[int] = []
    real_chmod = os.chmod

    def chmod_noting_the_mode(path: str | os.PathLike[str], mode: int, **kwargs: object) -> None:
        modes_before_chmod.append(stat.S_IMODE(os.stat(path).st_mode))
        real_chmod(path, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "chmod", chmod_noting_the_mode)
    env = {"TOOL_CONFIG_FILE": str(tmp_path / "absent.yaml")}
    load_config(tmp_path / "instance", env)
    key = tmp_path / "instance" / "secret_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert all(mode == 0o600 for mode in modes_before_chmod), [oct(m) for m in modes_before_chmod]
    assert len(key.read_text().strip()) == 64


def test_the_command_line_refuses_the_placeholder_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tool.cli import main

    monkeypatch.setenv("TOOL_SECRET_KEY", PLACEHOLDER_SECRET)
    assert main(["db", "upgrade"]) == 1
    assert capsys.readouterr().err.startswith("error: SECRET_KEY is still the placeholder")


def test_switches_and_numbers_from_the_environment(tmp_path: Path) -> None:
    env = {
        "TOOL_CONFIG_FILE": str(tmp_path / "absent.yaml"),
        "TOOL_HTTPS": "true",
        "TOOL_GONE_GRACE_DAYS": "7",
    }
    config = load_config(tmp_path, env)
    assert (config["HTTPS"], config["GONE_GRACE_DAYS"]) == (True, 7)
    defaults = load_config(tmp_path, {"TOOL_CONFIG_FILE": str(tmp_path / "absent.yaml")})
    assert (defaults["HTTPS"], defaults["GONE_GRACE_DAYS"]) == (False, 30)
