"""Wikitext of the content wikis' pages: articles, talk and user pages, file descriptions.

Short (a few hundred bytes to a few KB, so dumps stay small), plausible wikitext, with non-ASCII
characters in many of them so that bytes and characters differ, as they do on real wikis.
"""

from __future__ import annotations

import random
from datetime import datetime

from devwiki import signatures

# A page that reaches this size gets trimmed instead of grown: dumps stay small however many edits.
MAX_BYTES = 2800
_SUBJECTS = (
    "Maktaba ya Taifa", "Public library", "Nairobi River", "Marie Curie", "Malaria vaccine", "Mto Rufiji",
    "Biblioteca Luis Ángel Arango", "Wangari Maathai", "Ada Lovelace", "Kilimanjaro", "Afya ya jamii",
    "Open access", "Kölner Dom", "São Paulo", "Lake Victoria", "Rosalind Franklin", "Dengue", "Zanzibar",
    "Eduardo Galeano", "Mbuga ya Serengeti", "Café de Colombia", "Mount Kenya", "Gabriela Mistral",
)  # fmt: skip
_FORMS = {
    "enwiki": (
        "{}",
        "History of {}",
        "{} (disambiguation)",
        "Geography of {}",
        "Timeline of {}",
        "{} in culture",
    ),
    "swwiki": ("{}", "Historia ya {}", "Jiografia ya {}", "{} (maana)", "Utamaduni wa {}", "Orodha ya {}"),
}
_GIVEN = ("Grace", "Josefina", "Miriam", "Esther", "Ximena", "Wairimu", "Nomvula", "Adaeze", "Sofía", "Hawa")
_FAMILY = (
    "Wambui",
    "Cárdenas",
    "Mwakyusa",
    "Okonjo",
    "Ibáñez",
    "Chege",
    "Nakato",
    "Zúñiga",
    "Mbeki",
    "Aluoch",
)
_ROLES = (
    "chemist",
    "librarian",
    "physician",
    "botanist",
    "mathematician",
    "engineer",
    "mwanasayansi",
    "historian",
)
_PLACES = (
    "Nairobi market",
    "Bogotá library",
    "Kisumu harbour",
    "Dar es Salaam",
    "Medellín metro",
    "Berlin Tiergarten",
)
_WORDS = (
    "library", "maktaba", "elimu", "history", "ciencia", "mujeres", "health", "afya", "river", "jiji",
    "research", "utafiti", "community", "jamii", "naïve", "über", "ñandú", "engineer", "mwalimu", "archive",
    "kitabu", "universidad", "Straße", "hospitali", "café", "pupil", "shule", "água",
)  # fmt: skip


def pool_title(wiki: str, index: int) -> str:
    """The index-th existing article of a wiki; distinct for every index."""
    forms = _FORMS.get(wiki, _FORMS["enwiki"])
    subject, form = _SUBJECTS[index % len(_SUBJECTS)], forms[(index // len(_SUBJECTS)) % len(forms)]
    cycle = index // (len(_SUBJECTS) * len(forms))
    title = form.format(subject)
    return title if cycle == 0 else f"{title} ({cycle + 1})"


def biography_title(rng: random.Random) -> str:
    """A new article, as edit-a-thons create them; the caller makes it unique."""
    return f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)} ({rng.choice(_ROLES)})"


def file_title(rng: random.Random, when: datetime, serial: int) -> str:
    return f"File:{rng.choice(_PLACES)} {when:%Y-%m} {serial:03d}.jpg"


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(5, 14))]
    if rng.random() < 0.3:
        words[rng.randrange(len(words))] = f"[[{rng.choice(_SUBJECTS)}]]"
    return " ".join(words).capitalize() + "."


def _heading(rng: random.Random) -> str:
    return f"== {' '.join(rng.choice(_WORDS) for _ in range(3)).capitalize()} =="


def _archived(talk: str) -> str:
    """A long talk page loses its oldest thread, as archiving bots do."""
    if len(talk.encode("utf-8")) <= MAX_BYTES:
        return talk
    return talk[talk.index("\n== ", 1) + 1 :] if "\n== " in talk else talk


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def first_text(rng: random.Random, title: str, namespace: int, user: str, when: datetime) -> str:
    """The text of a page's first revision."""
    name = title.split(":", 1)[1] if namespace else title
    if namespace == 6:
        return _file_text(rng, name, user, when)
    if namespace == 2:
        return f"Habari! I am '''{user}'''. {_paragraph(rng, 1)}\n\n{{{{Babel|sw|en-2}}}}\n"
    if namespace in (1, 3):
        return f"{_heading(rng)}\n{_paragraph(rng, 1)} {signatures.signature(user, when)}\n"
    return (
        f"'''{name}''' {_paragraph(rng, rng.randint(2, 4))}\n\n"
        f"== Historia / History ==\n{_paragraph(rng, rng.randint(1, 3))}\n\n"
        "== Marejeo / References ==\n<references />\n"
    )


def _file_text(rng: random.Random, name: str, user: str, when: datetime) -> str:
    return (
        "== {{int:filedesc}} ==\n{{Information\n"
        f"|description={{{{en|1={name.rsplit('.', 1)[0]}}}}} {{{{sw|1={_sentence(rng)}}}}}\n"
        f"|date={when:%Y-%m-%d}\n|source={{{{own}}}}\n|author=[[User:{user}|{user}]]\n}}}}\n\n"
        "== {{int:license-header}} ==\n{{self|cc-by-sa-4.0}}\n"
    )


def revise(rng: random.Random, text: str, namespace: int, kind: str, user: str, when: datetime) -> str:
    """The text after one more edit: ``kind`` "grow" adds, "shrink" removes (sizediff < 0)."""
    if namespace in (1, 3):
        return f"{_archived(text)}\n{_heading(rng)}\n{_sentence(rng)} {signatures.signature(user, when)}\n"
    if namespace == 6:  # adding categories is most of what happens to file pages
        return f"{_archived(text)}[[Category:{rng.choice(_PLACES)}]]\n"
    if kind == "shrink" or len(text.encode("utf-8")) > MAX_BYTES:
        return _shrink(text)
    return _grow(rng, text)


def _grow(rng: random.Random, text: str) -> str:
    # Add to the end of the first paragraph, where new editors usually expand articles.
    first, sep, rest = text.partition("\n\n")
    return f"{first} {_paragraph(rng, rng.randint(1, 3))}{sep}{rest}"


def _shrink(text: str) -> str:
    """Drop the last sentence of the first paragraph that has two or more."""
    paragraphs = text.split("\n\n")
    for index, paragraph in enumerate(paragraphs):
        cut = paragraph.rstrip(".").rfind(". ")
        if cut > 0:
            paragraphs[index] = paragraph[: cut + 1]
            return "\n\n".join(paragraphs)
    return text.replace("\n\n", "\n", 1)  # nothing left to cut: still a (small) removal
