"""Regenerate tool/data/user_namespaces.json from MediaWiki's own language files.

People paste links from their home wiki onto Meta, where "Usuaria:X" or "Spezial:Beiträge/X" are
not namespaces. The parser recognizes them from this file: every language's names (and gendered
and other aliases) of the User, User talk and Special namespaces, and of Special:Contributions.
Run it where Debian's mediawiki package is installed (`make setup` installs it):

    .venv/bin/python scripts/generate_user_namespaces.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

MESSAGES = Path("/usr/share/mediawiki/languages/messages")
OUT = Path(__file__).resolve().parent.parent / "tool" / "data" / "user_namespaces.json"

# Each Messages*.php file only assigns variables; include it in a function scope and print them.
PHP = r"""
define('MEDIAWIKI', 1);
foreach ([ 'NS_MEDIA' => -2, 'NS_SPECIAL' => -1, 'NS_MAIN' => 0, 'NS_TALK' => 1, 'NS_USER' => 2,
    'NS_USER_TALK' => 3, 'NS_PROJECT' => 4, 'NS_PROJECT_TALK' => 5, 'NS_FILE' => 6, 'NS_FILE_TALK' => 7,
    'NS_MEDIAWIKI' => 8, 'NS_MEDIAWIKI_TALK' => 9, 'NS_TEMPLATE' => 10, 'NS_TEMPLATE_TALK' => 11,
    'NS_HELP' => 12, 'NS_HELP_TALK' => 13, 'NS_CATEGORY' => 14, 'NS_CATEGORY_TALK' => 15 ] as $k => $v) {
    define($k, $v);
}
function read_language($file) {
    $namespaceNames = $namespaceAliases = $namespaceGenderAliases = $specialPageAliases = [];
    include $file;
    $out = ['user' => [], 'user_talk' => [], 'special' => [], 'contributions' => []];
    $keys = [2 => 'user', 3 => 'user_talk', -1 => 'special'];
    foreach ($keys as $ns => $key) {
        if (isset($namespaceNames[$ns])) { $out[$key][] = $namespaceNames[$ns]; }
        foreach ($namespaceGenderAliases[$ns] ?? [] as $alias) { $out[$key][] = $alias; }
    }
    foreach ($namespaceAliases as $alias => $ns) {
        if (isset($keys[$ns])) { $out[$keys[$ns]][] = $alias; }
    }
    foreach ($specialPageAliases['Contributions'] ?? [] as $alias) { $out['contributions'][] = $alias; }
    return $out;
}
$all = [];
foreach (glob($argv[1] . '/Messages*.php') as $file) {
    $all[basename($file, '.php')] = read_language($file);
}
echo json_encode($all, JSON_UNESCAPED_UNICODE);
"""


def normalize(name: str) -> str:
    """The form the parser compares (spaces for underscores, NFC, case folded): the parser's own key()."""
    sys.path.insert(0, str(OUT.parent.parent.parent))
    from tool.wiki.siteinfo import key

    return key(name)


def main() -> None:
    if not MESSAGES.is_dir():
        sys.exit(f"{MESSAGES} not found: install Debian's mediawiki package (make setup does)")
    done = subprocess.run(["php", "-r", PHP, "--", str(MESSAGES)], capture_output=True, text=True, check=True)
    languages = json.loads(done.stdout)
    merged: dict[str, set[str]] = {key: set() for key in ("user", "user_talk", "special", "contributions")}
    for data in languages.values():
        for key, names in data.items():
            merged[key].update(normalize(name) for name in names)
    document = {
        "source": "MediaWiki languages/messages/Messages*.php (Debian mediawiki package)",
        "languages": len(languages),
        **{key: sorted(names) for key, names in merged.items()},
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(languages)} languages, " + ", ".join(f"{len(v)} {k}" for k, v in merged.items()))


if __name__ == "__main__":
    main()
