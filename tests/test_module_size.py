"""Small rooms: no module of patentpool/ over 500 lines, no function over 80.

A module that would pass 500 lines is split by subject; a function over 80 lines is broken
into functions that each do one thing. There are no exceptions, released migrations included
(theirs are split by the tables they create; what they do is unchanged).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "patentpool"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80

def _modules() -> dict[str, str]:
    return {
        path.relative_to(PACKAGE).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def module_lines() -> dict[str, int]:
    """Lines of each module of patentpool/, by its path inside the package."""
    return {name: len(text.splitlines()) for name, text in _modules().items()}


def functions_in(text: str) -> dict[str, int]:
    """Lines of each function, method and nested function of a module's text, from its
    ``def`` to its last line (decorators not counted); the longest of a name."""
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno is not None
            found[node.name] = max(found.get(node.name, 0), node.end_lineno - node.lineno + 1)
    return found


def function_lines() -> dict[tuple[str, str], int]:
    """Lines of each function of patentpool/, as (module, name)."""
    return {
        (module, name): lines
        for module, text in _modules().items()
        for name, lines in functions_in(text).items()
    }


def test_no_module_is_over_500_lines() -> None:
    over = {m: n for m, n in module_lines().items() if n > MAX_MODULE_LINES}
    assert not over, f"over {MAX_MODULE_LINES} lines: split by subject: {over}"


def test_no_function_is_over_80_lines() -> None:
    over = {f: n for f, n in function_lines().items() if n > MAX_FUNCTION_LINES}
    assert not over, f"over {MAX_FUNCTION_LINES} lines: break them up: {over}"


def test_functions_are_measured_from_def_to_their_last_line() -> None:
    source = (
        "import functools\n"
        "\n"
        "@functools.cache\n"
        "def f() -> int:\n"
        "    def inner() -> int:\n"
        "        return 1\n"
        "\n"
        "    return inner()\n"
        "\n"
        "class C:\n"
        "    async def m(self) -> None:\n"
        "        pass\n"
    )
    assert functions_in(source) == {"f": 5, "inner": 2, "m": 2}
