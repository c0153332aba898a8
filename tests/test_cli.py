"""The command line against the farm: what an organizer or maintainer types, and what they read."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from devwiki.generator import PROFILES, generate
from tool.cli import main
from tool.metrics import DEFINITIONS_VERSION
from tool.store import Store

pytestmark = pytest.mark.farm
NAIROBI = "Wikimedia Community User Group Kenya/Wikipedia training for librarians, Nairobi 2026"
NOW = "2026-11-01T00:00:00Z"


@pytest.fixture(scope="module")
def env(farm: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    db = tmp_path_factory.mktemp("cli") / "store.sqlite"
    store = Store(f"sqlite:///{db}")
    store.upgrade()  # what `python -m tool db upgrade` does (tested below on a database of its own)
    store.dispose()
    return {"TOOL_FARM": farm["status_file"], "TOOL_DATABASE_URL": f"sqlite:///{db}"}


def run(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_a_file_prints_the_documented_json(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page = tmp_path / "event.wiki"
    page.write_text(
        "{{Event outcomes|start=2026-03-14|end=2026-03-13|wikis=enwiki, nowiki.example}}\n"
        "== Participants ==\n# [[User:Ana]]\n# Juma\n",
        encoding="utf-8",
    )
    code, out, _ = run(env, monkeypatch, capsys, "parse", str(page), "--json")
    assert code == 0
    document = json.loads(out)
    assert document["kind"] == "event"
    assert document["participants"] == [{"user": "Ana", "line": 3}]
    assert document["unresolved"] == [{"text": "Juma", "line": 4}]
    assert [(p["field"], p["line"]) for p in document["problems"]] == [("end", 1), ("wikis", 1)]
    assert "nowiki.example" in document["problems"][1]["message"]


def test_parse_a_page_from_the_home_wiki(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(env, monkeypatch, capsys, "parse", "--page", NAIROBI, "--json")
    assert code == 0
    expected = next(e for e in generate(PROFILES["test"]).events if e.title == NAIROBI)
    assert sorted(p["user"] for p in json.loads(out)["participants"]) == sorted(expected.participants)


def test_discover_sync_outcomes_compare(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(env, monkeypatch, capsys, "discover")
    assert code == 0
    assert f"event parsed (0 problems): {NAIROBI}\n" in out
    assert out.endswith("5 pages, 9 API requests.\n")
    code, out, err = run(env, monkeypatch, capsys, "sync", NAIROBI, "--now", NOW)
    assert code == 0
    assert out.startswith(f"{NAIROBI}: 272 new contributions in 3 time spans; ")
    assert "100.0%" in err  # the progress bar

    # The snapshot the sync stored, said as such.
    code, out, err = run(env, monkeypatch, capsys, "outcomes", NAIROBI, "--format", "json")
    assert json.loads(out)["outcomes"]["figures"]["participants"]["value"] == 9
    assert err.startswith("Outcomes stored at ")
    assert ", from data complete up to 2026-" in err
    code, out, _ = run(env, monkeypatch, capsys, "outcomes", NAIROBI, "--format", "csv", "--now", NOW)
    rows = {row["figure"]: row for row in csv.DictReader(io.StringIO(out))}
    assert rows["participants"]["value"] == "9"
    code, out, _ = run(env, monkeypatch, capsys, "outcomes", NAIROBI, "--format", "wikitext", "--now", NOW)
    assert out.startswith(
        "Outcomes of Wikimedia Community User Group Kenya/Wikipedia training for librarians, Nairobi 2026"
    )
    assert '\n{| class="wikitable"\n! Figure !! Value !! Status\n' in out
    assert "\n| Participants || {{formatnum:9}} || complete\n" in out
    # Linked to the event's page in the tool (PUBLIC_URL), its spaces as underscores.
    link = (
        "https://event-outcomes.toolforge.org/event/Wikimedia_Community_User_Group_Kenya/Wikipedia_training"
    )
    assert f" [{link}_for_librarians,_Nairobi_2026 More in Event Outcomes: " in out

    code, out, _ = run(env, monkeypatch, capsys, "sync", "--all", "--now", NOW)
    assert "Event outcomes/Cohorts/Wiki Indaba trainings 2025-2026: the cohort's outcomes stored" in out
    code, out, _ = run(
        env, monkeypatch, capsys, "compare", "--by", "region", "--format", "json", "--now", NOW
    )
    assert code == 0
    groups = json.loads(out)["groups"]
    assert groups["Sub-Saharan Africa"]["figures"]["participants"]["value"] >= 9
    code, out, _ = run(
        env,
        monkeypatch,
        capsys,
        "outcomes",
        "Event outcomes/Cohorts/Wiki Indaba trainings 2025-2026",
        "--now",
        NOW,
    )
    assert json.loads(out)["kind"] == "cohort"


def test_outcomes_are_read_from_the_snapshot_and_counted_again_only_when_asked(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    fresh = {**env, "TOOL_DATABASE_URL": url}
    run(fresh, monkeypatch, capsys, "db", "upgrade")
    run(fresh, monkeypatch, capsys, "discover")
    # Discovered, never synced: nothing stored to show, and no silent counting either.
    code, out, err = run(fresh, monkeypatch, capsys, "outcomes", NAIROBI)
    assert (code, out) == (1, "")
    assert err == (
        f'error: No outcomes of {NAIROBI} are stored yet: run "python -m tool sync" for the event '
        '(or "sync --all" for a cohort\'s events), or add --recompute to count them now from the '
        "stored contributions.\n"
    )
    # --recompute counts from the store (no contributions synced: 9 people, no edits) and keeps it.
    code, out, _ = run(fresh, monkeypatch, capsys, "outcomes", NAIROBI, "--recompute", "--now", NOW)
    figures = json.loads(out)["outcomes"]["figures"]
    assert (code, figures["participants"]["value"], figures["edits_during"]["status"]) == (0, 9, "partial")
    code, out, err = run(fresh, monkeypatch, capsys, "outcomes", NAIROBI, "--format", "csv")
    assert code == 0
    assert "participants,9," in out
    assert err.startswith("Outcomes stored at ")
    # A newer snapshot counted by older definitions is not shown as if it were today's.
    store = Store(url)
    snapshot = store.latest_snapshot("event", NAIROBI)
    assert snapshot is not None
    store.save_snapshot(
        "event",
        NAIROBI,
        snapshot.figures,
        definitions_version=DEFINITIONS_VERSION - 1,
        data_time=snapshot.data_time,
        partial=True,
        computed_at=snapshot.computed_at + timedelta(days=1),
    )
    store.dispose()
    code, _, err = run(fresh, monkeypatch, capsys, "outcomes", NAIROBI)
    assert (code, err) == (
        1,
        f"error: The stored outcomes of {NAIROBI} were counted with definitions version "
        f"{DEFINITIONS_VERSION - 1}; this version of the tool uses version {DEFINITIONS_VERSION}. "
        "Add --recompute to count them again.\n",
    )


def test_errors_are_one_line_and_exit_1(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(env, monkeypatch, capsys, "outcomes", "No such event")
    assert code == 1
    assert err == 'error: No such event: no such event in the store (run "python -m tool discover" first)\n'
    code, _, err = run(env, monkeypatch, capsys, "parse", "/nonexistent/file.wiki")
    assert code == 1
    assert err.startswith("error: cannot read /nonexistent/file.wiki")
    code, _, err = run(env, monkeypatch, capsys, "compare", "--by", "colour")
    assert code == 1
    assert "cannot group events by 'colour'" in err
    code, _, err = run(env, monkeypatch, capsys, "sync", NAIROBI, "--now", "yesterday")
    assert (code, err) == (1, 'error: --now "yesterday" is not an ISO 8601 time\n')


def test_a_database_behind_the_code_is_refused_until_db_upgrade(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    fresh = {**env, "TOOL_DATABASE_URL": url}
    behind = (
        f"error: The database at {url} is not ready for this version of the tool: "
        'run "python -m tool db upgrade" first.\n'
    )
    for command in (["discover"], ["sync", "--all"], ["outcomes", NAIROBI], ["compare", "--by", "region"]):
        assert run(fresh, monkeypatch, capsys, *command) == (1, "", behind)
    code, out, _ = run(fresh, monkeypatch, capsys, "db", "upgrade")
    assert (code, out) == (0, f"The database at {url} is up to date.\n")
    code, out, err = run(fresh, monkeypatch, capsys, "compare", "--by", "region")
    assert (code, json.loads(out)["groups"], err) == (0, {}, "")


def test_an_unreachable_database_is_named(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = {**env, "TOOL_DATABASE_URL": "mysql+pymysql://tool:secret@127.0.0.1:1/outcomes"}
    code, _, err = run(broken, monkeypatch, capsys, "db", "upgrade")
    assert code == 1
    assert "127.0.0.1:1" in err
    assert "secret" not in err
