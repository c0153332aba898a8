"""Interface messages outside a web request: CLI output, exports and the bot's wikitext.

Inside a request, templates call toolforge-i18n's ``message()``; that needs Flask's request
state, so text rendered elsewhere formats the same i18n/*.json messages here.
"""

from __future__ import annotations

import threading
from functools import cache

from toolforge_i18n import I18nFormatter, lang_fallbacks, load_translations

import tool_translations_config
from tool import languages


@cache
def _translations() -> dict[str, dict[str, str]]:
    languages.install_snapshot()
    translations, _documentation = load_translations(tool_translations_config.config)
    return translations


def interface_languages() -> list[str]:
    """The languages the interface is translated into (every i18n file but qqq's documentation)."""
    return sorted(code for code in _translations() if code != "qqq")


def text(key: str, language: str = "en", **params: object) -> str:
    """The message ``key`` in ``language`` (with MediaWiki's fallbacks, then English), formatted."""
    translations = _translations()
    for code in (language, *lang_fallbacks(language), "en"):
        message = translations.get(code, {}).get(key)
        if message is not None:
            break
    else:
        raise KeyError(f"no message {key!r} in i18n/en.json")
    if not params:
        return message
    return str(_formatter(code).format(message, **params))


_formatters = threading.local()  # a formatter keeps state while it formats: one per thread


def _formatter(code: str) -> I18nFormatter:
    """The formatter of a language, made once (making one reads Babel's locale data: 0.2 ms)."""
    made: dict[str, I18nFormatter] = _formatters.__dict__.setdefault("made", {})
    if code not in made:
        config = tool_translations_config.config
        made[code] = I18nFormatter(
            locale_identifier=config.language_code_to_babel(code), get_gender=config.get_gender
        )
    return made[code]
