"""``patentpool normalize``: patent numbers as written, in canonical form."""

from __future__ import annotations

COMMANDS: list[object] = []
