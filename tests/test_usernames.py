"""User names normalized as MediaWiki does, and refused where MediaWiki would refuse them."""

from __future__ import annotations

import pytest

from tool.wiki.usernames import InvalidUsername, normalize_title, normalize_username, parse_username, ucfirst


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("ana_maría", "Ana maría"),
        ("  Ana   María ", "Ana María"),
        ("Ana\u00a0María", "Ana María"),  # no-break space
        ("Ana\u3000María", "Ana María"),  # ideographic space
        ("ébène", "Ébène"),
        ("\u200fنور\u200e", "نور"),  # direction marks pasted with right-to-left names
        ("Mar&iacute;a", "María"),
        ("Mar&#237;a", "María"),
        ("Mari\u0301a", "María"),  # combining accent: NFC, as MediaWiki stores every title
        ("user with ß", "User with ß"),
        ("ιωάννα", "Ιωάννα"),
        ("иван", "Иван"),
    ],
)
def test_normalized(written: str, name: str) -> None:
    assert normalize_username(written) == name


@pytest.mark.parametrize(
    ("first", "upper"),
    [
        ("a", "A"),
        ("ß", "ß"),  # no one-letter capital: left as it is
        ("ﬀ", "ﬀ"),
        ("ǆ", "ǅ"),  # title case, as PHP 7.2 did and Wikimedia keeps (wmf-config, T219279)
        ("ǅ", "ǅ"),
        ("ᾀ", "ᾈ"),
        ("ა", "ა"),  # Georgian Mkhedruli keeps its case: kawiki's names start in lower case
        ("ⅰ", "ⅰ"),
        ("ı", "I"),
    ],
)
def test_first_letter_as_wikimedia_upper_cases_it(first: str, upper: str) -> None:
    assert ucfirst(first + "x") == upper + "x"


def test_subpages_and_anchors_only_from_links() -> None:
    assert normalize_username("Ana/Sandbox#top", from_link=True) == "Ana"
    assert normalize_username("Ana#top") is None
    assert normalize_username("Ana/Sandbox") is None


@pytest.mark.parametrize(
    ("written", "code", "params"),
    [
        ("", "problem-username-empty", {"text": ""}),
        ("A[b]", "problem-username-character", {"name": "A[b]", "character": "["}),
        ("A|b", "problem-username-character", {"name": "A|b", "character": "|"}),
        ("A{b", "problem-username-character", {"name": "A{b", "character": "{"}),
        ("A\x07b", "problem-username-character", {"name": "A\x07b", "character": "U+0007"}),
        ("Zero\u200bwidth", "problem-username-character", {"name": "Zero\u200bwidth", "character": "U+200B"}),
        ("A%41", "problem-username-character", {"name": "A%41", "character": "%41"}),
        ("Sig~~~", "problem-username-character", {"name": "Sig~~~", "character": "~~~"}),
        ("192.0.2.7", "problem-username-ip", {"name": "192.0.2.7"}),
        ("999.1.1.1", "problem-username-ip", {"name": "999.1.1.1"}),  # UserNameUtils::isIP's dotted quad
        ("2001:db8::1", "problem-username-ip", {"name": "2001:db8::1"}),
        ("10.0.0.0/8", "problem-username-ip", {"name": "10.0.0.0/8"}),
    ],
)
def test_refused_with_the_reason(written: str, code: str, params: dict[str, str]) -> None:
    with pytest.raises(InvalidUsername) as refused:
        parse_username(written)
    assert (refused.value.code, refused.value.params) == (code, params)
    assert normalize_username(written) is None


def test_length_is_counted_in_bytes() -> None:
    assert normalize_username("x" * 255) == "X" + "x" * 254
    assert normalize_username("x" * 256) is None
    assert normalize_username("é" * 127) is not None  # 254 bytes
    with pytest.raises(InvalidUsername) as refused:
        parse_username("é" * 128)  # 256 bytes in 128 letters
    assert refused.value.code == "problem-username-too-long"


def test_titles() -> None:
    assert normalize_title("event:_nairobi_2026#Participants") == "Event: nairobi 2026"
