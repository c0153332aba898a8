"""Configuration works empty, reads config.yaml, then TOOL_* environment variables."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tool.config import DEFAULTS, load_config

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
