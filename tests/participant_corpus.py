"""Participant sections as people really write them, each with what a careful reader finds.

Every case: the section's lines (line 1 is the first), the participants as (user, line), and the
lines that must be reported as unresolved. Withdrawn and mentioned people are never participants.
Signatures are as MediaWiki expands ~~~~ in each language's interface (the user and talk link
names, the date format); devwiki/pages.py writes the farm's event pages in the same shapes.
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
        "prose-is-not-a-participant",
        "Please sign below with ~~~~.\n\n# [[User:Kim]]\n\nThanks, [[User:Organizer|the organizers]]!",
        [("Kim", 3)],
    ),
    Case(
        "empty-nowiki-hides-nothing",
        "Sign with ~~<nowiki/>~~ below.\n# [[User:Ines]] <nowiki />\n# [[User:Joao]]",
        [("Ines", 2), ("Joao", 3)],
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
    Case(
        "japanese-signature",
        "# [[利用者:Taro|Taro]]（[[利用者‐会話:Taro|会話]]） 2026年3月14日 (土) 10:01 (UTC)",
        [("Taro", 1)],
    ),
    Case(
        "hebrew-signature-rtl",
        "# [[משתמש:דנה|דנה]] • [[שיחת משתמש:דנה|שיחה]] • 10:01, 14 במרץ 2026 (UTC)",
        [("דנה", 1)],
    ),
    Case(
        "persian-signature-rtl",
        "# [[کاربر:علی|علی]] ([[بحث کاربر:علی|بحث]]) \u200f۱۴ مارس ۲۰۲۶، ساعت ۱۰:۰۱ (UTC)",
        [("علی", 1)],
    ),
    Case(
        "hindi-signature",
        "# [[सदस्य:राम|राम]] ([[सदस्य वार्ता:राम|वार्ता]]) 10:01, 14 मार्च 2026 (UTC)",
        [("राम", 1)],
    ),
    Case(
        "indonesian-signature",
        "# [[Pengguna:Budi|Budi]] ([[Pembicaraan Pengguna:Budi|bicara]]) 14 Maret 2026 10.01 (UTC)",
        [("Budi", 1)],
    ),
    Case(
        "turkish-signature-lowercase-link",
        "# [[Kullanıcı:ayşe|Ayşe]] ([[Kullanıcı mesaj:ayşe|mesaj]]) 10.01, 14 Mart 2026 (UTC)",
        [("Ayşe", 1)],
    ),
    Case("persian-contributions-with-zwnj", "# [[ویژه:مشارکت\u200cها/سارا|سارا]]", [("سارا", 1)]),
    Case("spaces-around-the-colon", "# [[ user : ana_lima ]]", [("Ana lima", 1)]),
    Case(
        "replies-under-an-item-are-comments",
        "# [[User:Ana]]\n#: Welcome! [[User:Org|Org]] ([[User talk:Org|talk]]) 11:00, 14 March 2026 (UTC)\n"
        "#:: Thanks! [[User:Ana|Ana]]\n# [[User:Bea]]",
        [("Ana", 1), ("Bea", 4)],
    ),
    Case(
        "table-rows",
        '{| class="wikitable"\n! # !! User !! Affiliation\n|-\n| 1 || [[User:Ana|Ana]] || Library\n|-\n'
        "| 2 || {{u|Bea}} || School\n|-\n| 3\n| [[Usuaria:Cora]]\n| University\n|}",
        [("Ana", 4), ("Bea", 6), ("Cora", 9)],
    ),
    Case(
        "links-to-articles-are-not-people",
        "| [[Nairobi]] || [[Special:Random]]\n[[File:Logo.png|20px]] Welcome to [[Nairobi]]!\n# [[Nairobi]]",
        [],
        unresolved=[3],
    ),
    Case(
        "bare-signatures-without-list-markers",
        "[[User:Ana|Ana]] ([[User talk:Ana|talk]]) 10:01, 14 March 2026 (UTC)\n"
        "'''[[User:Bea|Bea]]''' 10:05, 14 March 2026 (UTC)\n"
        "{{Event participant|Cid}}\n"
        "Questions? Ask [[User:Org|the organizer]].",
        [("Ana", 1), ("Bea", 2), ("Cid", 3)],
    ),
    Case(
        "pasted-urls",
        "# https://es.wikipedia.org/wiki/Usuario:Ana_P%C3%A9rez\n"
        "# [https://meta.wikimedia.org/wiki/Special:Contributions/Bea Bea's edits]\n"
        "# https://sw.wikipedia.org/w/index.php?title=Maalum:Michango&target=Cid\n"
        "# https://example.org/wiki/Not_a_user",
        [("Ana Pérez", 1), ("Bea", 2), ("Cid", 3)],
        unresolved=[4],
    ),
    Case(
        "struck-block-and-nested-strike-templates",
        "<s>\n# [[User:Abe]]\n# [[User:Bo]]\n</s>\n# {{strike|{{u|Cy}}}}\n# {{s|[[User:Di]]}} <strike>x</strike>\n"
        "# <s>Walk-in without an account</s>\n# [[User:Ed]]",
        [("Ed", 8)],
        withdrawn=["Abe", "Bo", "Cy", "Di"],
    ),
    Case(
        "several-people-pinged",
        "# {{ping|Ana|Bea}} please welcome [[User:Cid]]\n# {{reply to|Org}}",
        [("Cid", 1)],
        mentions=["Ana", "Bea", "Org"],
    ),
    Case(
        "links-that-name-no-account",
        "# [[User:]]\n# [[Special:Contributions/198.51.100.4]]\n# [[:de:Hilfe:Benutzer]]\n"
        "# [[Special:Contributions]]\n# [[User:Fine]]",
        [("Fine", 5)],
        unresolved=[1, 2, 3, 4],
    ),
    Case(
        "the-first-valid-user-wins",
        "# [[User:192.0.2.1]] now edits as [[User:Gil]]\n# {{Event participant|[[User:Hana]]}}",
        [("Gil", 1), ("Hana", 2)],
    ),
    Case(
        "farm-page-shapes",
        "# {{Event participant|Amani Otieno}} [[User:Amani Otieno|Amani Otieno]] ([[User talk:Amani Otieno|talk]])"
        " 09:12, 2 March 2026 (UTC)\n"
        "# [[Maalum:Michango/Baraka Mwangi|Baraka Mwangi]]\n"
        "# [[User talk:Chausiku|Chausiku]] – I will work on health articles\n"
        "# [[user:daudi Kimaro]]\n"
        "# {{u|Eshe}} (invited by [[User:Alice Wanjiku|Alice Wanjiku]])\n"
        "# [[User:Faraji/Sandbox|Faraji]] – drafting an article\n"
        "# [[:sw:Mtumiaji:Gift|Gift]]\n"
        "# <s>[[User:Hodari|Hodari]] ([[User talk:Hodari|talk]]) 10:00, 1 March 2026 (UTC) – I cannot attend</s>",
        [
            ("Amani Otieno", 1),
            ("Baraka Mwangi", 2),
            ("Chausiku", 3),
            ("Daudi Kimaro", 4),
            ("Eshe", 5),
            ("Faraji", 6),
            ("Gift", 7),
        ],
        withdrawn=["Hodari"],
    ),
]
