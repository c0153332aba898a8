"""Which language a request is answered in: ?uselang, then the session, then Accept-Language, then English.

toolforge-i18n's own choice reads ?uselang and Accept-Language only, and takes any ?uselang as it
is (``?uselang=xx`` would give a page that claims to be in "xx"); its documented hook lets a tool
add a remembered choice, which is what this module is.
"""

from __future__ import annotations

import flask
from toolforge_i18n import lang_bcp47_to_mw, lang_fallbacks

#: The session key holding the language a user picked (through ?uselang or the footer's form).
SESSION_KEY = "uselang"
#: MediaWiki's pseudo-language that shows message keys instead of text; never remembered.
QQX = "qqx"
#: Longer than any MediaWiki language code (the longest are about 12 characters, "be-x-old" style).
_MAX_CODE_LENGTH = 32


def interface_language_code(translations: dict[str, dict[str, str]]) -> str:
    """The language of this request (given to ToolforgeI18n, which calls it before every request)."""
    asked = flask.request.args.get("uselang", "")
    if asked.lower() == QQX:
        return QQX
    chosen = supported(asked, translations)
    if chosen is not None:
        _remember(chosen)
        return chosen
    remembered = supported(str(flask.session.get(SESSION_KEY, "")), translations)
    if remembered is not None:
        return remembered
    return _from_accept_language(translations)


def supported(code: str, translations: dict[str, dict[str, str]]) -> str | None:
    """The interface language for a MediaWiki language code, or None if the tool has none for it.

    A language with messages of its own is itself; one without falls back as MediaWiki would
    (?uselang=arz gives Arabic, ?uselang=frc French), so the page is labelled with the language its
    text is in. A code MediaWiki does not know (or a stray value) is None: the next source decides.
    """
    code = code.strip().lower()
    if not code or len(code) > _MAX_CODE_LENGTH:
        return None
    for candidate in (code, *lang_fallbacks(code)):
        if candidate in translations:
            return candidate
    return None


#: The longest argument carried through a change of language (a page title is at most 255 bytes).
MAX_KEPT = 300
MAX_KEPT_ARGS = 20


def kept_query_args() -> list[tuple[str, str]]:
    """The query's arguments but uselang, for the footer's form to send back with the new language.

    A GET form replaces the whole query string of its action, so without these the page would
    lose its filters (?by=region, ?page=2) when the language changes. A value longer than any
    filter, title or page number (a refused one, say) is not echoed into every page's footer.
    """
    kept = [
        (name, value)
        for name, value in flask.request.args.items(multi=True)
        if name != "uselang" and len(name) <= MAX_KEPT and len(value) <= MAX_KEPT
    ]
    return kept[:MAX_KEPT_ARGS]


def init_app(app: flask.Flask) -> None:
    app.after_request(_vary_on_accept_language)
    app.jinja_env.globals["kept_query_args"] = kept_query_args


def _remember(code: str) -> None:
    # The JSON API stays cookie-free: a client asking for errors in a language has picked nothing.
    if flask.request.blueprint == "api":
        return
    if flask.session.get(SESSION_KEY) != code:
        flask.session[SESSION_KEY] = code


def _from_accept_language(translations: dict[str, dict[str, str]]) -> str:
    """The browser's most wanted language the tool has, a regional one taken for its language.

    Werkzeug's best_match prefers any exact match to a regional one, so "es-MX, fr;q=0.5" would
    give French to someone who asked for Spanish first; here each wish is tried in order, itself,
    then through MediaWiki's fallbacks, then as its bare language.
    """
    wishes = sorted(flask.request.accept_languages, key=lambda wish: -wish[1])  # stable: ties keep order
    for tag, quality in wishes:
        if quality <= 0 or tag == "*":
            continue
        code = lang_bcp47_to_mw(tag)
        found = supported(code, translations) or supported(code.split("-")[0], translations)
        if found is not None:
            return found
    return "en"


def _vary_on_accept_language(response: flask.Response) -> flask.Response:
    # The same URL is answered in another language for another Accept-Language (and, through the
    # session, another Cookie, which Flask adds itself): a shared cache must not mix them.
    response.vary.add("Accept-Language")
    return response
