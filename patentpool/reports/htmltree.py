"""A small HTML tree (stdlib parser) for turning a rendered report into other documents."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
#: Elements whose content is not document text.
SKIPPED = frozenset({"head", "script", "style", "svg", "template", "title", "noscript"})
_SPACE = re.compile(r"\s+")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> frozenset[str]:
        return frozenset(self.attrs.get("class", "").split())

    def find(self, tag: str) -> Element | None:
        for child in self.children:
            if isinstance(child, Element):
                if child.tag == tag:
                    return child
                found = child.find(tag)
                if found is not None:
                    return found
        return None

    def find_all(self, tag: str) -> list[Element]:
        out = []
        for child in self.children:
            if isinstance(child, Element):
                if child.tag == tag:
                    out.append(child)
                out.extend(child.find_all(tag))
        return out

    def text(self) -> str:
        """The text content with white space collapsed as a browser shows it."""
        return _SPACE.sub(" ", "".join(_raw_text(self))).strip()


def _raw_text(node: Element | str) -> list[str]:
    if isinstance(node, str):
        return [node]
    if node.tag == "br":
        return ["\n"]
    if node.tag in SKIPPED:
        return []
    return [part for child in node.children for part in _raw_text(child)]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root
