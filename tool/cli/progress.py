"""A progress bar on a terminal's standard error, for the CLI (the web shows job progress instead)."""

from __future__ import annotations

import sys
from typing import TextIO


class ProgressBar:
    def __init__(self, label: str, stream: TextIO | None = None, width: int = 30) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self.interactive = self.stream.isatty()

    def __call__(self, done: int, total: int, message: str) -> None:
        fraction = min(1.0, max(0.0, done / total if total else 1.0))
        filled = round(fraction * self.width)
        bar = "█" * filled + "·" * (self.width - filled)
        line = f"{self.label} [{bar}] {fraction * 100:5.1f}% {message}"
        if self.interactive:
            self.stream.write("\r\033[K" + line)
            if fraction >= 1.0:
                self.stream.write("\n")
        else:
            # In logs (Toolforge jobs, CI) one line per step reads better than carriage returns.
            self.stream.write(line + "\n")
        self.stream.flush()
