"""Participant sections as people really write them, each with what a careful reader finds.

Every case: the section's lines (line 1 is the first), the participants as (user, line), and the
lines that must be reported as unresolved. Withdrawn and mentioned people are never participants.
Signatures are as MediaWiki expands ~~~~ in each language's interface.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    participants: list[tuple[str, int]]
    unresolved: list[int] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)


CASES = [
    Case("user-link", "# [[User:Ana]]", [("Ana", 1)]),
    Case("user-link-labelled", "# [[User:Ana Pérez|Ana]]", [("Ana Pérez", 1)]),
    Case("user-talk-link", "# [[User talk:Bea|Bea]] – I will write about rivers", [("Bea", 1)]),
    Case("u-template", "# {{u|Cid}}", [("Cid", 1)]),
    Case("user-template", "* {{user|Dee}}", [("Dee", 1)]),
    Case("event-participant-template", "# {{Event participant|Eli}}", [("Eli", 1)]),
    Case("template-named-parameter", "# {{u|1=Fay}}", [("Fay", 1)]),
    Case("underscores-and-lowercase", "# [[user:gus_van_dam]]", [("Gus van dam", 1)]),
    Case(
        "subpage-and-anchor", "# [[User:Hal/Sandbox|Hal]]\n# [[User:Ivy#Babel|Ivy]]", [("Hal", 1), ("Ivy", 2)]
    ),
    Case(
        "english-signature",
        "# [[User:Jo|Jo]] ([[User talk:Jo|talk]]) 10:01, 14 March 2026 (UTC)",
        [("Jo", 1)],
    ),
    Case(
        "spanish-signature-gendered",
        "# [[Usuaria:Karla|Karla]] ([[Usuaria discusión:Karla|discusión]]) 10:01 14 mar 2026 (UTC)",
        [("Karla", 1)],
    ),
    Case(
        "german-signature-gendered",
        "# [[Benutzerin:Lena|Lena]] ([[Benutzerin Diskussion:Lena|Diskussion]]) 10:01, 14. Mär. 2026 (CET)",
        [("Lena", 1)],
    ),
    Case(
        "french-signature-gendered",
        "# [[Utilisatrice:Manon|Manon]] ([[Discussion utilisatrice:Manon|discuter]]) 14 mars 2026 à 10:01 (CET)",
        [("Manon", 1)],
    ),
    Case(
        "swahili-signature",
        "# [[Mtumiaji:Neema|Neema]] ([[Majadiliano ya mtumiaji:Neema|majadiliano]]) 10:01, 14 Machi 2026 (UTC)",
        [("Neema", 1)],
    ),
    Case(
        "arabic-signature-rtl",
        "# [[مستخدم:عمر|عمر]] ([[نقاش المستخدم:عمر|نقاش]]) 10:01، 14 مارس 2026 (ت ع م)",
        [("عمر", 1)],
    ),
    Case(
        "portuguese-signature",
        "# [[Usuária:Paula|Paula]] ([[Usuária Discussão:Paula|discussão]]) 10h01min de 14 de março de 2026 (UTC)",
        [("Paula", 1)],
    ),
    Case(
        "russian-signature",
        "# [[Участник:Ольга|Ольга]] ([[Обсуждение участника:Ольга|обс.]]) 10:01, 14 марта 2026 (UTC)",
        [("Ольга", 1)],
    ),
    Case("contributions-english", "# [[Special:Contributions/Quinn|Quinn]]", [("Quinn", 1)]),
    Case("contributions-german", "# [[Spezial:Beiträge/Rosa|Rosa]]", [("Rosa", 1)]),
    Case("contributions-spanish", "# [[Especial:Contribuciones/Sara]]", [("Sara", 1)]),
    Case("contributions-arabic", "# [[خاص:مساهمات/يوسف]]", [("يوسف", 1)]),
    Case("contributions-swahili", "# [[Maalum:Michango/Tumaini|Tumaini]]", [("Tumaini", 1)]),
    Case("interwiki-language", "# [[:de:Benutzer:Uwe|Uwe]]", [("Uwe", 1)]),
    Case("interwiki-meta", "# [[m:User:Vera|Vera]]", [("Vera", 1)]),
    Case("interwiki-two-prefixes", "# [[w:es:Usuario:Walter|Walter]]", [("Walter", 1)]),
    Case("interwiki-article-is-not-a-user", "# Xena, see [[w:Xena]]", [], unresolved=[1]),
    Case(
        "several-links-first-wins",
        "# {{u|Yara}} (invited by [[User:Organizer|Organizer]])\n# [[User:Zeno]] and [[User:Amir]] together",
        [("Yara", 1), ("Zeno", 2)],
    ),
    Case(
        "struck-lines-withdrawn",
        "# <s>[[User:Bob]] cannot come</s>\n# <del>{{u|Cat}}</del>\n# {{strike|[[User:Dan]]}}\n# [[User:Eva]]",
        [("Eva", 4)],
        withdrawn=["Bob", "Cat", "Dan"],
    ),
    Case(
        "ping-is-a-mention",
        "# {{ping|Org}} could you add [[User:Fred]]?\n# {{ping|Org}} thanks!",
        [("Fred", 1)],
        mentions=["Org", "Org"],
    ),
    Case(
        "plain-names-unresolved",
        "# Juma (will create an account on the day)\n# [[User:Gina]]\n* Halima",
        [("Gina", 2)],
        unresolved=[1, 3],
    ),
    Case(
        "duplicates-written-differently",
        "# [[User:Ike_Okafor]]\n# {{u|ike Okafor}}\n# [[Special:Contributions/Ike Okafor]]",
        [("Ike Okafor", 1)],
    ),
    Case(
        "comments-and-nowiki-ignored",
        "<!-- # [[User:Hidden]] -->\n# <nowiki>[[User:Literal]]</nowiki>\n# [[User:Jan]]",
        [("Jan", 3)],
    ),
    Case(
        "prose-and-tables-are-not-items",
        "Please sign below with ~~~~.\n\n# [[User:Kim]]\n\nThanks, [[User:Organizer|the organizers]]",
        [("Kim", 3), ("Organizer", 5)],
    ),
    Case("ip-is-not-an-account", "# [[User:192.0.2.7]]\n# [[User:Lou]]", [("Lou", 2)], unresolved=[1]),
    Case(
        "html-entities-and-direction-marks",
        "# [[User:Mar&#237;a]]\n# [[User:\u200fنور\u200e]]",
        [("María", 1), ("نور", 2)],
    ),
    Case(
        "nested-lists",
        "# [[User:Ned]]\n## [[User:Ola]] (Ned's colleague)\n#* comment",
        [("Ned", 1), ("Ola", 2)],
        unresolved=[3],
    ),
]
