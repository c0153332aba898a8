"""The files Toolforge reads (Procfile, jobs.yaml) name commands that exist and run what the docs say."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return {name: command.strip() for name, command in (line.split(":", 1) for line in lines if line.strip())}


def test_the_procfile_serves_the_web_and_runs_the_nightly_bot() -> None:
    processes = _procfile()
    assert processes["web"].startswith("gunicorn ")
    assert "--bind 0.0.0.0:$PORT app:app" in processes["web"]
    # Unattended: -always, or pywikibot would wait at a prompt for every page.
    assert processes["nightly"] == "python -m bots.outcomes_bot -always"
    assert (ROOT / "bots" / "outcomes_bot.py").exists()


def test_every_job_runs_a_procfile_process_or_a_command_through_the_launcher() -> None:
    processes = _procfile()
    jobs = yaml.safe_load((ROOT / "jobs.yaml").read_text())
    for job in jobs:
        assert job["image"] == "tool-event-outcomes/tool-event-outcomes:latest"
        command = job["command"]
        assert command in processes or command.startswith("launcher "), command
    bot = next(job for job in jobs if job["name"] == "outcomes-bot")
    assert bot["command"] == "nightly"
    assert bot["emails"] == "onfailure"  # a failed page, a stop (77) or an overlap (75) reaches a person
