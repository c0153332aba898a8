"""Wiki names as organizers write them resolve to dbnames, and dbnames to API URLs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tool.wiki.registry import Registry, UnknownWiki, domain_of


@pytest.mark.parametrize(
    ("written", "dbname"),
    [
        ("swwiki", "swwiki"),
        (" EnWiki ", "enwiki"),
        ("sw.wikipedia.org", "swwiki"),
        ("https://fr.wiktionary.org/wiki/Accueil", "frwiktionary"),
        ("commons.wikimedia.org", "commonswiki"),
        ("www.wikidata.org", "wikidatawiki"),
        ("zh-min-nan.wikipedia.org", "zh_min_nanwiki"),
        ("meta.wikimedia.org", "metawiki"),
    ],
)
def test_production_names(written: str, dbname: str) -> None:
    assert Registry().dbname(written) == dbname


@pytest.mark.parametrize("written", ["wikipedia", "example.com", "en.wikipedia.com", "", "sw wiki"])
def test_unknown_production_names(written: str) -> None:
    with pytest.raises(UnknownWiki):
        Registry().dbname(written)


def test_production_api_urls() -> None:
    assert Registry().info("zh_min_nanwiki").api == "https://zh-min-nan.wikipedia.org/w/api.php"
    assert domain_of("commonswiki") == "commons.wikimedia.org"


def test_a_farm_knows_exactly_its_wikis(tmp_path: Path) -> None:
    path = tmp_path / "farm.json"
    path.write_text(
        json.dumps(
            {
                "home_wiki": "metawiki",
                "wikis": {
                    "metawiki": {
                        "api": "http://127.0.0.1:8300/api.php",
                        "rest": "http://127.0.0.1:8300/rest.php",
                    },
                    "swwiki": {
                        "api": "http://127.0.0.1:8302/api.php",
                        "rest": "http://127.0.0.1:8302/rest.php",
                    },
                },
            }
        )
    )
    registry = Registry.from_config({"FARM": str(path)})
    assert registry.dbname("sw.wikipedia.org") == "swwiki"
    assert registry.info("swwiki").api == "http://127.0.0.1:8302/api.php"
    with pytest.raises(UnknownWiki):
        registry.dbname("frwiki")  # a real Wikimedia wiki, but not in this farm
    assert registry.known() == {"metawiki", "swwiki"}


def test_a_missing_farm_file_says_how_to_start_it(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="python -m devwiki start"):
        Registry.from_config({"FARM": str(tmp_path / "nope.json")})
