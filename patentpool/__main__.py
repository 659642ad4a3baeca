"""``python -m patentpool`` runs the command-line interface."""

from __future__ import annotations

from patentpool.cli import main

main()
