"""libyaml's loader gives exactly what the pure loader gives: values, types, key order, lines.

``load_yaml`` reads with libyaml (``yaml.CSafeLoader``) when PyYAML has it, and falls back
to the pure ``SafeLoader`` for a text libyaml refuses and where libyaml is absent. Every
outcome is compared with the pure loader's: the same data (each mapping's line and its keys'
lines included), or the same problem.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from patentpool.io import readers
from patentpool.io.readers import FileUnreadable, LineDict, load_yaml

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(
    p
    for folder in ("samples", "tests", "templates")
    for pattern in ("*.yaml", "*.yml", "*.json")
    for p in (ROOT / folder).rglob(pattern)
)

needs_libyaml = pytest.mark.skipif(
    readers._FastLoader is None, reason="PyYAML built without libyaml"
)

#: Scalars the YAML 1.1 resolver reads in surprising ways, and structures around them.
EDGES = [
    "a: 1.0\nb: 010\nc: 0o10\nd: 0x1F\ne: 1_000\nf: 1e3\ng: .5\nh: -.inf\ni: .NaN\n",
    "a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: n\ng: ~\nh: null\ni: Null\nj:\n",
    "a: 2026-01-31\nb: 2026-1-5\nc: 2026-01-31T10:20:30Z\nd: 2026-01-31 10:20:30.5 +02:00\n",
    "a: 2025-13-01\n",
    "a: 1:20:30\nb: 190:20:30\nc: 0b101\nd: +12\ne: 12.50\nf: '12.50'\ng: \"010\"\n",
    "a: !!str 1.0\nb: !!int '7'\nc: !!float 3\nd: !!bool yes\n",
    "a: !!int abc\n",
    "k: 'it''s'\nq: \"tab\\there \\u00e9 \\U0001F600\"\nu: \"\\ud83d\\ude00\"\n",
    'h: "\\ud83d"\n',
    'n: "nul \\0 here"\n',
    "folded: >\n  one\n  two\n\n  three\nliteral: |-\n  x\n   y\nkeep: |+\n  z\n\n",
    "plain: one\n  two\n   three\nafter: 1\n",
    "- a\n- [1, 2, {x: y}]\n- {a: 1, b: [true, false]}\n-\n  - nested\n  - - deeper\n",
    "base: &b {x: 1, y: 2}\nmore:\n  <<: *b\n  y: 3\nlist: [*b, *b]\n",
    "a: 1\na: 2\n",
    "? complex\n: value\n1: int key\n2026-01-01: date key\nnull: null key\n",
    "%YAML 1.1\n---\na: 1\n...\n",
    "---\na: 1\n---\nb: 2\n",
    "",
    "# only a comment\n",
    "a: [1, 2\n",
    "a:\tb\n",
    "a:\n\t- b\n",
    "a: b: c\n",
    "- a\nb: c\n",
    "a: 'unterminated\n",
    "a: @b\n",
    "a: `b`\n",
    "a: 1\r\nb:\r\n  c: 2\r\n",
    "a: 1\rb: 2\r",
    "a: x\x85b: y\u2028c: z\u2029d: w\n",
    "a: b\x07c\n",
    "a: \ufeffb\n",
    "name: Ståle Ørsted\ncity: Zürich\nkana: 東京\nemoji: 😀\n",
    "a: " + "[" * 60 + "]" * 60 + "\n",
    "a: " + "[" * 2000 + "]" * 2000 + "\n",
    '{"a": 1, "b": [1.5, "x", null, true], "c": {"d": "2026-01-01"}}',
    '{"a": 1, "a": 2}',
    '{"a": 1,}',
    "[1, 2, 3]\n",
    "a: !custom 1\n",
    "a: !!python/object:os.system x\n",
    "a: *missing\n",
    "a: &x [1, 2]\nb: *x\n",
    "a: 1\n  b: 2\n",
    "  a: 1\nb: 2\n",
    "a: -\nb: - x\n",
    # found by fuzzing: libyaml reads these, the pure loader refuses them or reads otherwise
    "!\n",
    "|#\n",
    "a: >-#\n  x\n",
    "members:\n  - {id: konka, na?me: x}\n",
    "a: 12345678901234567890123\nb: 1.7976931348623157e309\nc: 0.1\n",
    "a: 1_0.5\nb: 1__0\nc: 10:61\nd: 2026-02-30\n",
]


def outcome(load: Any, text: str) -> tuple[str, Any]:
    """What a loader makes of ``text``: its data, shown with every line and type, or its
    problem."""
    try:
        return ("data", shown(load(text)))
    except FileUnreadable as exc:
        return ("problem", str(exc.problem))


def shown(value: Any) -> Any:
    """The value with everything the importers read: types, key order, lines."""
    if isinstance(value, LineDict):
        return (
            "LineDict",
            value.line,
            [(k, value.key_lines[k], shown(v)) for k, v in value.items()],
        )
    if isinstance(value, dict):
        return ("dict", [(shown(k), shown(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [shown(v) for v in value])
    if isinstance(value, float) and value != value:
        return ("float", "nan")
    return (type(value).__name__, repr(value))


def pure(text: str) -> Any:
    return readers._load_pure(text, "f.yaml")


def chosen(text: str) -> Any:
    return load_yaml(text, "f.yaml")


def test_the_files_are_there() -> None:
    assert len(FILES) >= 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_file_loads_the_same(path: Path) -> None:
    text = readers.read_text(path, path.name, table=False)
    assert outcome(chosen, text) == outcome(pure, text)


@needs_libyaml
@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_libyaml_reads_the_good_files_itself(path: Path) -> None:
    """The speed is kept: a file the pure loader reads, libyaml reads too (no fallback)."""
    text = readers.read_text(path, path.name, table=False)
    expected = outcome(pure, text)
    if expected[0] != "data":
        pytest.skip("a file with a problem")
    fast = shown(readers._load_with(readers._FastLoader, text))
    assert fast == expected[1]


@pytest.mark.parametrize("text", EDGES)
def test_edge_cases_load_the_same(text: str) -> None:
    assert outcome(chosen, text) == outcome(pure, text)


def test_an_edge_case_keeps_the_pure_loaders_values() -> None:
    data = chosen(EDGES[0] + "j: 2026-01-31\nk: yes\n")
    assert data["a"] == 1.0
    assert isinstance(data["a"], float)
    assert data["b"] == 8  # YAML 1.1: a leading zero is octal
    assert data["j"] == dt.date(2026, 1, 31)
    assert data["k"] is True
    assert data.key_lines == {k: n for n, k in enumerate("abcdefghijk", start=1)}


def test_a_text_met_again_is_read_as_the_first_time() -> None:
    """Each loader finds a plain scalar's tag once per text (records repeat their keys, flags
    and dates): a text met again, plain, quoted or as an alias, is read as PyYAML reads it."""
    texts = ["1", "yes", "2026-01-31", "~", "x", "1.5", "010", "1"]
    text = "".join(
        f"- {{k: {v}, q: '{v}', d: \"{v}\"}}\n- {{x: [{v}, '{v}']}}\n" for v in texts + texts
    )
    text += "- &a 2026-01-31\n- *a\n- {s: &b text, t: *b}\n"
    expected = yaml.load(text, Loader=yaml.SafeLoader)
    for load in (chosen, pure):
        data = load(text)
        assert data == expected
        assert [shown(v) for v in data] == [shown(v) for v in load(text)]
        assert type(data[0]["k"]) is int
        assert type(data[0]["q"]) is str
        assert type(data[-3]) is dt.date


def test_a_problem_is_worded_by_the_pure_loader() -> None:
    with pytest.raises(FileUnreadable) as caught:
        chosen("a: 1\nb: [1, 2\n")
    assert caught.value.problem.line == 3
    assert "is not valid YAML/JSON" in str(caught.value.problem)


def test_without_libyaml_the_pure_loader_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "_FastLoader", None)
    for text in EDGES:
        assert outcome(chosen, text) == outcome(pure, text)


YAML_CHARS = st.sampled_from(
    [*"ab01 :-,.[]{}'\"#&*!|>?%@`\t\n\r", "\\", "~", "é", "\x85", "\u2028", "\ufeff", "x"]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.dates(),
    st.text(max_size=12),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


#: PATENTPOOL_FUZZ_EXAMPLES=5000 runs a longer search.
EXAMPLES = int(os.environ.get("PATENTPOOL_FUZZ_EXAMPLES") or 300)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None)
@given(st.text(YAML_CHARS, max_size=60))
def test_random_text_loads_the_same(text: str) -> None:
    assert outcome(chosen, text) == outcome(pure, text)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(VALUES, st.sampled_from(["block", "flow", "json"]))
def test_random_documents_load_the_same(value: Any, style: str) -> None:
    if style == "json":
        text = json.dumps(value, default=str, indent=1)
    else:
        flow = style == "flow"
        text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    assert outcome(chosen, text) == outcome(pure, text)
