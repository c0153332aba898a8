"""pywikibot's folder: ``<INSTANCE_PATH>/pywikibot``, made before pywikibot is imported.

pywikibot takes PYWIKIBOT_DIR only when a ``user-config.py`` is in it, so the folder gets one that
holds no setting: every setting (the wiki, the account, maxlag, the throttle) comes from the tool's
configuration in bots.site, and the bot password never reaches a file of pywikibot's.
"""

from __future__ import annotations

import os
from pathlib import Path

from tool import ROOT
from tool.config import load_config

_USER_CONFIG = (
    "# Event Outcomes' pywikibot folder. No settings here: they come from the tool's configuration\n"
    "# (config.yaml or TOOL_* variables; bots/site.py).\n"
)


def prepare() -> Path:
    folder = instance_path() / "pywikibot"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    user_config = folder / "user-config.py"
    if not user_config.exists():
        user_config.write_text(_USER_CONFIG)
    os.environ["PYWIKIBOT_DIR"] = str(folder)
    os.environ["PYWIKIBOT_NO_USER_CONFIG"] = "2"  # do not read it, and do not warn about that
    return folder


def instance_path() -> Path:
    try:
        return Path(load_config(ROOT / "instance")["INSTANCE_PATH"])
    except Exception:
        # A configuration the tool refuses: the bot's main() says why, in its own words; until
        # then pywikibot needs a folder, and the default instance folder is the tool's own.
        return ROOT / "instance"
