"""The farm's accounts: participants with real-looking, varied names, organizers, background editors.

Every name is a valid MediaWiki user name as stored: spaces (not underscores), an upper-case first
letter where the script has case, none of the characters MediaWiki forbids (``@ : / # < > [ ] | { }``).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from devwiki.seed import SeedUser

# Always in the pool, so tests can name them: spaces, diacritics, a hyphen, right-to-left scripts.
FIXED_PARTICIPANTS = ("Wanjiru Kamau", "José Pérez", "Jürgen Müller-Lüdenscheid", "ليلى حسن")
_FIRST = (
    "Amina", "Ngozi", "Baraka", "Zawadi", "Lucía", "Thabo", "Chidi", "Fatuma", "Mercy", "Juma", "Ana",
    "Kofi", "Imani", "Nia", "Camila", "Mateo", "Ayşe", "Siddharth", "Olusegun", "Priya", "Tendai",
    "María José", "Émile", "Dalia", "Rehema", "Kwame", "Achieng", "Søren", "Zoë", "Thảo", "Halima",
)  # fmt: skip
_LAST = (
    "Odhiambo", "Okafor", "Mwangi", "Hassan", "García", "Nkosi", "Eze", "Said", "Wekesa", "Mensah",
    "Njeri", "Rodríguez", "Otieno", "Yılmaz", "Banda", "Moreno", "Achebe", "Owino", "Kariuki",
    "Lévesque", "Mutua", "Nyambura", "Ñáñez", "Çelik", "Ødegård", "Nguyễn", "Kamau", "Pérez",
)  # fmt: skip
# Wikimedians also pick handles rather than their names.
_HANDLES = (
    "Maktaba Lover",
    "Bibliotecaria 77",
    "Kiswahili Fan",
    "Pwani Reader",
    "Ciencia-Abierta",
    "Msomaji",
)
_RTL = ("محمد علي", "سلمى يوسف", "עמית כהן")
ORGANIZERS = ("Alice Wanjiku", "Bob Otieno", "Carmen Ruiz", "Dieter Schmidt")
# Background editors create the articles participants later improve. The last ones sign up for an
# event and withdraw (struck lines), so they edit like participants but are not participants.
EDITORS = (
    "Wiki Gnome 42",
    "Old Hand",
    "Patroller Pat",
    "Mzee wa Kamusi",
    "Grace Atieno",
    "Tomás Villa",
    "Ines Vogt",
)
WITHDRAWN = EDITORS[4:]


def participant_names(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct names: the fixed ones first, then a shuffled mix."""
    names = list(FIXED_PARTICIPANTS[:count])
    taken = set(names) | set(ORGANIZERS) | set(EDITORS)
    extras = [*_RTL, *_HANDLES]
    while len(names) < count:
        if extras and rng.random() < 0.15:
            name = extras.pop(rng.randrange(len(extras)))
        else:
            name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        while name in taken:
            name = f"{name} {rng.randint(2, 99)}"  # as people do when their name is taken
        taken.add(name)
        names.append(name)
    return names


def staff() -> list[SeedUser]:
    """Organizers and background editors: accounts much older than every event."""
    organizers = [
        SeedUser(n, datetime(2018, 5, 1 + i, 12, 0, tzinfo=UTC), "organizer")
        for i, n in enumerate(ORGANIZERS)
    ]
    editors = [
        SeedUser(n, datetime(2015, 1, 1 + i, 12, 0, tzinfo=UTC), "editor") for i, n in enumerate(EDITORS)
    ]
    return organizers + editors


def registration(rng: random.Random, first_start: datetime, first_end: datetime, new: bool) -> datetime:
    """New editors register in [start − 14 days, end] of their first event (DESIGN §5); others long before."""
    if new:
        low = first_start - timedelta(days=14)
        span = int((first_end - low).total_seconds())
        # Most new editors register in the run-up; some on the day itself.
        return low + timedelta(seconds=rng.randrange(span + 1))
    return first_start - timedelta(days=rng.randint(60, 3000), seconds=rng.randrange(86400))
