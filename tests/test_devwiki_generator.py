"""The farm's synthetic world: deterministic, sized as promised, consistent, an honest ground truth."""

from __future__ import annotations

import dataclasses
import io
import itertools
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest

from devwiki.dump import sha1_base36
from devwiki.generator import (
    NOW,
    PROFILES,
    History,
    Profile,
    SeedEvent,
    SeedRevision,
    SeedUser,
    generate,
    write_dump,
)
from devwiki.pages import UNRESOLVED_LINE

NS = "{http://www.mediawiki.org/xml/export-0.11/}"


@pytest.fixture(scope="module")
def test_history() -> History:
    return generate(PROFILES["test"])


@pytest.fixture(scope="module")
def demo_history() -> History:
    return generate(PROFILES["demo"])


def _dump(history: History, wiki: str) -> bytes:
    out = io.BytesIO()
    write_dump(history, wiki, out)
    return out.getvalue()


def _event(history: History, word: str) -> SeedEvent:
    return next(e for e in history.events if word in e.name)


def _final_text(history: History, title: str) -> str:
    return [r for r in history.revisions_on("metawiki") if r.title == title][-1].text


# --- determinism and size ----------------------------------------------------------------------


def test_same_profile_gives_byte_identical_dumps(test_history: History) -> None:
    again = generate(PROFILES["test"])
    for wiki in test_history.wikis():
        assert _dump(test_history, wiki) == _dump(again, wiki), wiki


def test_another_seed_gives_another_history(test_history: History) -> None:
    other = generate(dataclasses.replace(PROFILES["test"], seed=1))
    assert _dump(other, "enwiki") != _dump(test_history, "enwiki")


def test_cache_key_changes_with_any_parameter() -> None:
    profile = PROFILES["test"]
    assert profile.cache_key() == dataclasses.replace(profile).cache_key()
    assert profile.cache_key() != dataclasses.replace(profile, activity=profile.activity + 1).cache_key()
    assert profile.cache_key() != dataclasses.replace(profile, seed=profile.seed + 1).cache_key()


def _participants(history: History) -> list[SeedUser]:
    return [u for u in history.users if u.role == "participant"]


def test_test_profile_is_small(test_history: History) -> None:
    assert 20 <= len(_participants(test_history)) <= 40
    assert 1000 <= len(test_history.revisions) <= 2000


def test_demo_profile_is_lively(demo_history: History) -> None:
    assert len(_participants(demo_history)) == 120
    assert 7000 <= len(demo_history.revisions) <= 9500


def test_bench_profile_is_big_enough_for_the_benchmark() -> None:
    history = generate(PROFILES["bench"])
    assert len(_participants(history)) >= 500
    assert len(history.revisions) >= 50_000
    busy = [w for w in history.wikis() if w != "metawiki" and len(history.revisions_on(w)) >= 10_000]
    assert len(busy) >= 2, busy
    # The one big event has every participant in it.
    assert max(len(e.participants) for e in history.events) == len(_participants(history))


def test_wikis_lists_metawiki_first(test_history: History) -> None:
    assert test_history.wikis() == ["metawiki", "enwiki", "swwiki", "commonswiki"]


# --- consistency of every page's history ---------------------------------------------------------


def test_each_page_history_is_strictly_ordered_with_consistent_sizes(demo_history: History) -> None:
    pages: dict[tuple[str, str], list[SeedRevision]] = defaultdict(list)
    for revision in demo_history.revisions:
        pages[(revision.wiki, revision.title)].append(revision)
    for key, revisions in pages.items():
        assert [r.new for r in revisions] == [True] + [False] * (len(revisions) - 1), key
        assert revisions[0].sizediff == revisions[0].size, key
        for before, after in itertools.pairwise(revisions):
            assert before.timestamp < after.timestamp, key
            assert after.sizediff == after.size - before.size, key
        for revision in revisions:
            assert revision.size == len(revision.text.encode("utf-8")), key


def test_timestamps_are_whole_utc_seconds_not_after_now(demo_history: History) -> None:
    for revision in demo_history.revisions:
        assert revision.timestamp.utcoffset() == timedelta(0)  # None (naive) fails too
        assert revision.timestamp.microsecond == 0
        assert revision.timestamp <= NOW == datetime(2026, 11, 1, tzinfo=UTC)


def test_size_changes_go_both_ways_and_bytes_differ_from_characters(demo_history: History) -> None:
    edits = [r for r in demo_history.revisions if not r.new and r.namespace == 0 and r.wiki != "metawiki"]
    assert any(r.sizediff > 0 for r in edits)
    assert any(r.sizediff < 0 for r in edits)
    assert any(r.size != len(r.text) for r in edits)


def test_titles_and_texts_are_nfc_as_mediawiki_stores_them(demo_history: History) -> None:
    for revision in demo_history.revisions:
        assert unicodedata.normalize("NFC", revision.title) == revision.title
        assert unicodedata.normalize("NFC", revision.text) == revision.text, revision.title


def test_namespace_matches_the_title_prefix(test_history: History) -> None:
    prefixes = {1: "Talk:", 2: "User:", 6: "File:", 10: "Template:"}
    namespaces = {r.namespace for r in test_history.revisions}
    assert {0, 1, 2, 6, 10} <= namespaces
    for revision in test_history.revisions:
        prefix = prefixes.get(revision.namespace)
        assert revision.title.startswith(prefix) if prefix else ":" not in revision.title.split("/")[0]


# --- contributions(): the ground truth -------------------------------------------------------------


def _rev(wiki: str, title: str, when: datetime, user: str = "Ana") -> SeedRevision:
    return SeedRevision(wiki, title, 0, user, when, "x", 1, 1, True, "")


def test_contributions_filter_by_wiki_and_inclusive_window() -> None:
    t = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)
    revisions = [
        _rev("enwiki", "A", t),
        _rev("swwiki", "B", t + timedelta(hours=1)),
        _rev("enwiki", "C", t + timedelta(hours=2)),
        _rev("enwiki", "D", t + timedelta(hours=3), user="Bob"),
    ]
    history = History(PROFILES["test"], [], [], [], revisions)
    titles = lambda revs: [r.title for r in revs]  # noqa: E731
    assert titles(history.contributions("Ana")) == ["A", "B", "C"]
    assert titles(history.contributions("Ana", wiki="enwiki")) == ["A", "C"]
    # Both ends are inclusive: a window from A's second to C's second holds A, B and C.
    assert titles(history.contributions("Ana", start=t, end=t + timedelta(hours=2))) == ["A", "B", "C"]
    assert titles(history.contributions("Ana", start=t + timedelta(seconds=1))) == ["B", "C"]
    assert titles(
        history.contributions("Ana", wiki="enwiki", end=t + timedelta(hours=2) - timedelta(seconds=1))
    ) == ["A"]
    assert history.contributions("Nobody") == []


def test_contributions_refuse_a_naive_datetime() -> None:
    history = History(PROFILES["test"], [], [], [], [_rev("enwiki", "A", datetime(2026, 1, 1, tzinfo=UTC))])
    with pytest.raises(ValueError, match="no time zone"):
        history.contributions("Ana", start=datetime(2026, 1, 1))


def test_contributions_agree_with_the_revision_list(test_history: History) -> None:
    event = _event(test_history, "Nairobi")
    start, end = event.window()
    user = event.participants[0]
    expected = [
        r
        for r in test_history.revisions
        if r.user == user and r.wiki == "swwiki" and start <= r.timestamp <= end
    ]
    assert sorted(
        test_history.contributions(user, "swwiki", start, end), key=lambda r: r.timestamp
    ) == sorted(expected, key=lambda r: r.timestamp)


# --- events, people, outcomes the tool must be able to find -----------------------------------------


def test_events_differ_in_context_and_only_one_is_recent(test_history: History) -> None:
    events = test_history.events
    assert len(events) >= 3
    assert len({e.context["language"] for e in events}) >= 3
    assert len({e.context["types"] for e in events}) >= 3
    assert len({e.timezone for e in events}) >= 3
    assert all(date(2025, 1, 1) <= e.start for e in events)
    recent = [e for e in events if e.end >= date(2026, 10, 1)]
    assert [e.name for e in recent] == ["WikiCon 2026 workshop: first edits"]


def _participants_section(text: str) -> str:
    return text.split("== Participants ==\n", 1)[1].split("\n== ", 1)[0]


def _written_forms(name: str) -> tuple[str, ...]:
    return (name, name.replace(" ", "_"), name[0].lower() + name[1:])


def test_event_pages_list_every_participant_in_some_form(test_history: History) -> None:
    for event in test_history.events:
        section = _participants_section(_final_text(test_history, event.title))
        list_lines = [line for line in section.splitlines() if line.startswith("#")]
        # One line per participant, plus the struck one and the walk-in without an account.
        assert len(list_lines) == len(event.participants) + 2, event.title
        assert UNRESOLVED_LINE in list_lines
        for name in event.participants:
            assert any(form in section for form in _written_forms(name)), (event.title, name)


def test_struck_sign_up_is_not_a_participant(test_history: History) -> None:
    for event in test_history.events:
        section = _participants_section(_final_text(test_history, event.title))
        struck = re.findall(r"<s>\[\[User:([^|\]]+)", section)
        assert len(struck) == 1, event.title
        assert struck[0] not in event.participants
        assert test_history.user(struck[0]).role == "editor"
        # They still edit during the event: counting them would change the figures.
        assert test_history.contributions(struck[0], start=event.window()[0], end=event.window()[1])


def test_event_page_carries_the_template_fields(test_history: History) -> None:
    event = _event(test_history, "Nairobi")
    text = _final_text(test_history, event.title)
    assert text.startswith("{{Event outcomes\n | name         = Wikipedia training for librarians, Nairobi\n")
    for line in (
        " | start        = 2026-03-14",
        " | end          = 2026-03-15",
        " | timezone     = Africa/Nairobi",
        " | wikis        = swwiki, enwiki, commonswiki",
        " | cohort       = Wiki Indaba trainings 2025-2026",
    ):
        assert line in text.splitlines()
    assert f" | goal_participants     = {len(event.participants) + 5}" in text.splitlines()


def test_event_page_history_is_signed_before_the_event(test_history: History) -> None:
    event = _event(test_history, "Nairobi")
    revisions = [r for r in test_history.revisions_on("metawiki") if r.title == event.title]
    assert revisions[0].user == event.organizers[0]
    assert set(event.participants) & {r.user for r in revisions}
    # Sign-ups come before the event; only the walk-ins are added after it, by the organizer.
    *before, walk_ins = revisions
    assert all(r.timestamp < event.window()[0] for r in before)
    assert walk_ins.user == event.organizers[0]
    assert walk_ins.timestamp == event.window()[1] + timedelta(hours=1)
    # A signature carries the time of the revision that added it.
    first_signup = next(r for r in revisions if r.user in event.participants)
    assert (
        f"{first_signup.timestamp:%H:%M}, {first_signup.timestamp.day} February 2026 (UTC)"
        in first_signup.text
    )


def test_templates_exist_on_metawiki(test_history: History) -> None:
    titles = {r.title for r in test_history.revisions_on("metawiki") if r.namespace == 10}
    assert {
        "Template:Event outcomes",
        "Template:Event participant",
        "Template:Event outcomes cohort",
    } <= titles
    assert "Template:U" in titles


def test_cohort_groups_two_events_and_someone_attends_both(test_history: History) -> None:
    [(title, name)] = test_history.cohorts
    members = [e for e in test_history.events if e.cohort == name]
    assert len(members) == 2
    text = _final_text(test_history, title)
    assert text.startswith("{{Event outcomes cohort\n")
    assert f" | events = {members[0].title}; {members[1].title}" in text
    assert "Wanjiru Kamau" in set(members[0].participants) & set(members[1].participants)


def test_names_are_varied_and_valid_user_names(test_history: History) -> None:
    names = [u.name for u in test_history.users]
    assert {"Wanjiru Kamau", "José Pérez", "Jürgen Müller-Lüdenscheid", "ليلى حسن"} <= set(names)
    assert len(names) == len(set(names))
    for name in names:
        assert name == name.strip(), name
        assert "_" not in name, name
        assert "  " not in name, name
        assert not set(name) & set("@:/#<>[]|{}"), name
        assert name[0] == name[0].upper(), name


def test_new_editors_and_the_fourteen_day_edge(test_history: History) -> None:
    event = _event(test_history, "Nairobi")
    edge = event.window()[0] - timedelta(days=14)
    registrations = {test_history.user(n).registration for n in event.participants}
    assert edge in registrations  # a new editor, just
    assert edge - timedelta(seconds=1) in registrations  # not a new editor, just
    for user in _participants(test_history):
        first = (
            min(r.timestamp for r in test_history.contributions(user.name))
            if test_history.contributions(user.name)
            else None
        )
        assert first is None or first >= user.registration, user.name


def test_edits_sit_exactly_on_window_edges(test_history: History) -> None:
    event = _event(test_history, "Nairobi")
    start, end = event.window()
    assert end == datetime(2026, 3, 15, 20, 59, 59, tzinfo=UTC)  # 23:59:59 in Nairobi (UTC+3)
    moments = {r.timestamp for r in test_history.revisions if r.user in event.participants}
    for edge in (
        start,
        start - timedelta(seconds=1),
        end,
        end + timedelta(seconds=1),
        end + timedelta(days=7),
    ):
        assert edge in moments, edge


def test_retention_decays_after_the_event(demo_history: History) -> None:
    event = _event(demo_history, "Nairobi")
    end = event.window()[1]

    def active(month: int) -> int:
        low = end + timedelta(days=30 * (month - 1))
        high = low + timedelta(days=30) - timedelta(seconds=1)
        return sum(1 for p in event.participants if demo_history.contributions(p, start=low, end=high))

    assert active(1) > active(6) > 0


def test_articles_created_during_events_and_uploads_on_commons(test_history: History) -> None:
    event = _event(test_history, "Nairobi")
    start, end = event.window()
    during = [r for p in event.participants for r in test_history.contributions(p, start=start, end=end)]
    assert any(r.new and r.namespace == 0 for r in during)
    assert any(r.new and r.namespace == 6 and r.wiki == "commonswiki" for r in during)
    assert any(not r.new and r.namespace == 0 for r in during)
    assert any(r.namespace in (1, 2) for r in during)


# --- the XML dump ---------------------------------------------------------------------------------


def test_dump_is_valid_export_xml_with_exact_byte_counts(test_history: History) -> None:
    for wiki in ("metawiki", "commonswiki"):
        data = _dump(test_history, wiki)
        root = ET.fromstring(data)
        assert root.tag == f"{NS}mediawiki"
        assert root.get("version") == "0.11"
        assert root.findtext(f"{NS}siteinfo/{NS}dbname") == wiki
        revisions = root.findall(f"{NS}page/{NS}revision")
        assert len(revisions) == len(test_history.revisions_on(wiki))
        for revision in revisions:
            text_node = revision.find(f"{NS}text")
            assert text_node is not None
            text = text_node.text or ""
            assert int(text_node.get("bytes", "-1")) == len(text.encode("utf-8"))
            assert revision.findtext(f"{NS}sha1") == sha1_base36(text)


def test_dump_escapes_markup_and_keeps_each_page_in_time_order(test_history: History) -> None:
    root = ET.fromstring(_dump(test_history, "metawiki"))
    texts = {page.findtext(f"{NS}title"): page for page in root.findall(f"{NS}page")}
    event = _event(test_history, "Editatón")
    page = texts[event.title]
    stamps = [r.findtext(f"{NS}timestamp") or "" for r in page.findall(f"{NS}revision")]
    assert stamps == sorted(set(stamps))  # ascending, no two the same
    assert page.findall(f"{NS}revision")[-1].findtext(f"{NS}text") == _final_text(test_history, event.title)
    assert "<s>" in _final_text(test_history, event.title)  # survived escaping and parsing


def test_dump_counts_revisions_and_refuses_an_unknown_wiki(test_history: History) -> None:
    assert write_dump(test_history, "swwiki", io.BytesIO()) == len(test_history.revisions_on("swwiki"))
    with pytest.raises(ValueError, match="no wiki 'dewiki'"):
        write_dump(test_history, "dewiki", io.BytesIO())


def test_profiles_are_named_after_their_keys() -> None:
    assert {name: p.name for name, p in PROFILES.items()} == {
        "test": "test",
        "demo": "demo",
        "bench": "bench",
    }
    assert all(isinstance(p, Profile) for p in PROFILES.values())
