"""A small register in the import formats, shared by tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

ALLIANCE = """\
alliance: {id: demo, name: Demo Alliance}
members:
  - {id: lenovo, name: Lenovo Group Ltd., joined: 2003-07-01, aliases: [Lenovo]}
  - {id: tcl, name: TCL Corporation, joined: 2003-07-01}
standards:
  - id: IGRS
    name: Intelligent Grouping and Resource Sharing
    versions:
      - {id: "1.0", published: 2005-01-01, sections: [discovery, media]}
      - {id: "1.1", supersedes: "1.0"}
"""
HEADER = (
    "publication_number,owner,family,filing_date,grant_date,expiry_date,status,"
    "standard,version,section,essentiality,validated_states\n"
)
ROWS = """\
CN101000001B,lenovo,F1,2006-01-10,2009-02-01,,granted,IGRS,1.0,discovery,essential,
CN101000001B,lenovo,F1,2006-01-10,2009-02-01,,granted,IGRS,1.1,,declared,
EP1000002B1,LENOVO GROUP LIMITED,F1,2006-06-01,2010-03-03,,granted,IGRS,1.0,media,essential,DE FR;GB
CN101000003B,tcl,F3,2007-03-01,,,pending,IGRS,1.0,media,declared,
"""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def write_register(folder: Path) -> Path:
    write(folder, "alliance.yaml", ALLIANCE)
    write(folder, "patents.csv", HEADER + ROWS)
    return folder
