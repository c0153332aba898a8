"""The message files: toolforge-i18n's own checks, and every English message in every language.

toolforge-i18n's pytest plugin also runs its checks when pytest collects i18n/ (`pytest i18n`);
these tests run the same checks from tests/, one test per language, and list every failure at
once, so a translation update says in one run what is wrong where.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from toolforge_i18n import TranslationsConfig, load_translations

# The checks are a private module of the pinned toolforge-i18n version; its pytest plugin imports
# them from there too, and there is no public entry point that reports more than the first failure.
from toolforge_i18n._translations_checks import (
    check_message_documentation,
    check_message_formatting,
    check_message_html_elements,
    check_message_keys,
    check_message_variables,
)

import tool_translations_config
from tool import languages

I18N = Path(__file__).resolve().parent.parent / "i18n"
#: Every language with a message file, but English (the source) and qqq (the documentation).
TRANSLATIONS = sorted(path.stem for path in I18N.glob("*.json") if path.stem not in ("en", "qqq"))

_PARAMETER = re.compile(r"\$([1-9][0-9]*)")
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
_PLURAL = re.compile(r"\{\{PLURAL:\$[1-9][0-9]*\|([^}]*)\}\}")

Check = Callable[[TranslationsConfig, dict[str, dict[str, str]], str, str], None]
MESSAGE_CHECKS: tuple[Check, ...] = (
    check_message_html_elements,
    check_message_variables,
    check_message_formatting,
)


def _messages(language: str) -> dict[str, str]:
    data = json.loads((I18N / f"{language}.json").read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if not key.startswith("@")}


def _loaded() -> tuple[TranslationsConfig, dict[str, dict[str, str]], dict[str, str]]:
    languages.install_snapshot()
    config = tool_translations_config.config
    translations, documentation = load_translations(dataclasses.replace(config, check_translations=False))
    return config, translations, documentation


def test_the_tool_translates_into_the_languages_issue_9_names() -> None:
    assert {"ar", "es", "fr", "sw"} <= set(TRANSLATIONS)


def test_every_english_message_is_documented_in_qqq() -> None:
    config, translations, documentation = _loaded()
    undocumented = sorted(set(translations["en"]) - set(documentation))
    stray = sorted(set(documentation) - set(translations["en"]))
    assert (undocumented, stray) == ([], []), f"not in qqq.json: {undocumented}; only in qqq.json: {stray}"
    check_message_documentation(config, translations, documentation)


@pytest.mark.parametrize("language", ["en", *TRANSLATIONS])
def test_toolforge_i18n_checks_pass(language: str) -> None:
    config, translations, _documentation = _loaded()
    failures = []
    if language != "en":
        try:
            check_message_keys(translations, language)
        except AssertionError:
            stray = sorted(set(translations[language]) - set(translations["en"]))
            failures.append(f"keys that en.json does not have: {stray}")
    for key in translations[language]:
        for check in MESSAGE_CHECKS:
            try:
                check(config, translations, language, key)
            except (AssertionError, KeyError, ValueError, IndexError) as e:
                failures.append(f"{key}: {check.__name__} ({type(e).__name__}: {e})")
    assert not failures, f"{language}.json:\n" + "\n".join(failures)


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_english_message_is_translated(language: str) -> None:
    missing = [key for key in _messages("en") if key not in _messages(language)]
    assert not missing, f"{len(missing)} messages of en.json missing from {language}.json: {missing}"


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_translations_keep_the_parameters_and_markup(language: str) -> None:
    english = _messages("en")
    wrong = []
    for key, text in _messages(language).items():
        source = english.get(key)
        if source is None:
            continue  # test_toolforge_i18n_checks_pass names it
        if set(_PARAMETER.findall(text)) != set(_PARAMETER.findall(source)):
            wrong.append(f"{key}: parameters {sorted(set(_PARAMETER.findall(text)))}")
        if Counter(_TAG.findall(text)) != Counter(_TAG.findall(source)):
            wrong.append(f"{key}: HTML elements {sorted(_TAG.findall(text))}")
        if ("[$" in source) != ("[$" in text):
            wrong.append(f"{key}: the link [$n text] of the English message")
        if source.count("{{PLURAL:") > 0 and text.count("{{PLURAL:") == 0:
            wrong.append(f"{key}: no PLURAL where English has one")
    assert not wrong, f"{language}.json:\n" + "\n".join(wrong)


def test_arabic_plurals_give_all_six_forms() -> None:
    # toolforge-i18n gives PLURAL's forms to Arabic's CLDR categories in order: zero, one, two, few,
    # many, other. With fewer forms, the first would be used for zero and "other" for everything
    # else, so "one participant" would come out as "no participants".
    short = [
        (key, forms)
        for key, text in _messages("ar").items()
        for forms in _PLURAL.findall(text)
        if len(forms.split("|")) != 6
    ]
    assert not short, short


def test_arabic_counts_read_as_arabic_counts() -> None:
    from tool import messages

    def summary(count: int) -> str:
        return messages.text(
            "cli-parse-summary", "ar", kind="event", num_participants=count, num_unresolved=0, num_problems=1
        )

    assert "مشارك واحد" in summary(1)
    assert "مشاركان" in summary(2)
    assert "5 مشاركين" in summary(5)
    assert "11 مشاركًا" in summary(11)
    assert "100 مشارك" in summary(100)
    assert "مشكلة واحدة" in summary(1)
