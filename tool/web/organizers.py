"""Who organizes an event: the accounts its page names in ``organizers =`` (DESIGN §4, §10).

The event record keeps the field as the page writes it; it is read here with the page parse's own
function, so "[[User:Alice W|Alice]]; bob_k" names the accounts "Alice W" and "Bob k", spelled
as MediaWiki spells them (first letter upper case, underscores as spaces) and as a login names
its user. No wiki is asked on a request: the User and User talk namespace names of every
language come from the parser's data file, which holds the home wiki's own names too.
"""

from __future__ import annotations

from tool.store import EventRecord
from tool.wiki.eventpage import read_organizers
from tool.wiki.siteinfo import MAIN, USER, USER_TALK, SiteInfo
from tool.wiki.usernames import normalize_username

# A wiki known only by what every wiki shares: no local namespace names or interwikis of its own,
# so SiteInfo.namespace falls back to the names of every language.
_ANY_WIKI = SiteInfo(
    dbname="",
    lang="en",
    ids={},
    names={},
    first_letter=frozenset({MAIN, USER, USER_TALK}),
    contributions=frozenset(),
    interwiki=frozenset(),
)


def organizers(event: EventRecord) -> list[str]:
    return named_organizers(event.fields.get("organizers", ""))


def named_organizers(value: str) -> list[str]:
    """The accounts an ``organizers =`` field names (a stored one, or one just read from the wiki)."""
    return read_organizers(value, _ANY_WIKI)


def is_organizer(event: EventRecord, user: str | None) -> bool:
    return is_named(event.fields.get("organizers", ""), user)


def is_named(organizers_field: str, user: str | None) -> bool:
    """Whether ``user`` is among the organizers an ``organizers =`` field names."""
    if not user:
        return False
    name = normalize_username(user)
    return name is not None and name in named_organizers(organizers_field)
