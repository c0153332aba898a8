"""The pywikibot baseline of the benchmark keeps pywikibot's files out of the checkout and the user's."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_SHOW_BASE_DIR = """
from bench.pywikibot_baseline import use_own_pywikibot_dir
own = use_own_pywikibot_dir()
import pywikibot
print(own)
print(pywikibot.config.base_dir)
"""


def test_the_benchmark_points_pywikibot_at_its_own_directory(tmp_path: Path) -> None:
    # Run from the checkout, as `make bench` does, with a user's own PYWIKIBOT_DIR set.
    users_own = tmp_path / "users-pywikibot"
    users_own.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYWIKIBOT_DIR": str(users_own)}
    env.pop("PYWIKIBOT_NO_USER_CONFIG", None)
    done = subprocess.run(
        [sys.executable, "-c", _SHOW_BASE_DIR], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    own, base_dir = done.stdout.split()
    shutil.rmtree(own)
    # pywikibot writes apicache/ and throttle.ctrl into its base directory.
    assert Path(base_dir) == Path(own)
    assert not Path(base_dir).is_relative_to(ROOT)
    assert Path(base_dir) != users_own
