"""User names normalized as MediaWiki does, and refused where MediaWiki would refuse them."""

from __future__ import annotations

import pytest

from tool.wiki.usernames import NameError_, normalize_title, normalize_username


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("ana_maría", "Ana maría"),
        ("  Ana   María ", "Ana María"),
        ("Ana\u00a0María", "Ana María"),  # no-break space
        ("ébène", "Ébène"),
        ("ǆemal", "Ǆemal"),  # upper case, not title case, as MediaWiki's ucfirst
        ("\u200fنور\u200e", "نور"),  # direction marks pasted with right-to-left names
        ("Mar&iacute;a", "María"),
        ("user with ß", "User with ß"),
    ],
)
def test_normalized(written: str, name: str) -> None:
    assert normalize_username(written) == name


def test_subpages_and_anchors_only_from_links() -> None:
    assert normalize_username("Ana/Sandbox#top", from_link=True) == "Ana"
    with pytest.raises(NameError_, match="contains '#'"):
        normalize_username("Ana#top")


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("", "empty"),
        ("A[b]", "cannot contain"),
        ("A|b", "cannot contain"),
        ("192.0.2.7", "IP address"),
        ("2001:db8::1", "IP address"),
        ("10.0.0.0/8", "IP address"),
        ("x" * 256, "at most 255 bytes"),
    ],
)
def test_refused(written: str, reason: str) -> None:
    with pytest.raises(NameError_, match=reason):
        normalize_username(written)


def test_titles() -> None:
    assert normalize_title("event:_nairobi_2026#Participants") == "Event: nairobi 2026"
