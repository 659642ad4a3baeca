"""The YAML loaders: PyYAML's safe loaders with the line of every mapping and key, and
readable errors; libyaml's parser where PyYAML has it (:func:`patentpool.io.readers.load_yaml`
chooses)."""

from __future__ import annotations

import re
from typing import Any

import yaml


class LineDict(dict[str, Any]):
    """A mapping from a YAML file that knows the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]


class _Lines(yaml.constructor.SafeConstructor):
    """What both safe loaders (no object tags) add: the line numbers of mappings, and
    readable errors."""

    _tags: dict[str, str] | None = None  # the tag of each plain scalar's text, once found
    yaml_path_resolvers: dict[Any, Any]  # the resolver's (none in a safe loader)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """A node's tag, as the resolver finds it; a plain scalar's is found once per text
        (keys, flags and dates repeat from record to record). Without path resolvers, a plain
        scalar's tag depends on its text alone."""
        if kind is not yaml.ScalarNode or not implicit[0] or self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)  # type: ignore[misc]
        tags = self._tags
        if tags is None:
            tags = self._tags = {}
        tag = tags.get(value)
        if tag is None:
            tag = tags[value] = super().resolve(kind, value, implicit)  # type: ignore[misc]
        return tag

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A scalar the safe constructors cannot read (``2025-13-01``, ``!!int abc``) is a
        YAML error at its line, not a stray ValueError."""
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            tag = node.tag.rsplit(":", 1)[-1]
            kind = _TAG_WORDS.get(tag, tag)
            shown = repr(node.value)[:60] if isinstance(node, yaml.ScalarNode) else "the value"
            detail = f" ({exc})" if tag == "timestamp" and isinstance(exc, ValueError) else ""
            raise yaml.constructor.ConstructorError(
                None, None, f"{shown} is not a valid {kind}{detail}", node.start_mark
            ) from exc


_TAG_WORDS = {
    "timestamp": "date",
    "int": "whole number",
    "float": "number",
    "bool": "true/false value",
}


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = _construct(loader, key_node)
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = _construct(loader, value_node)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


_STR_TAG = "tag:yaml.org,2002:str"


def _construct(loader: Any, node: yaml.Node) -> Any:
    """A node's value; text straight from :func:`_construct_text`, what the loader's
    ``construct_object`` would call for it (text is immutable: an alias of it needs no shared
    object), the rest through ``construct_object``."""
    if node.tag == _STR_TAG and type(node) is yaml.ScalarNode:
        return _construct_text(loader, node)
    return loader.construct_object(node, deep=True)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _construct_text(loader: Any, node: yaml.ScalarNode) -> str:
    """Text; escapes such as ``"\\ud83d\\ude00"`` (JSON writes characters outside the Basic
    Multilingual Plane so) are joined into one character, and text no database can store
    (half a surrogate pair, NUL) is refused."""
    value = str(loader.construct_scalar(node))
    problem = "it holds a NUL character" if "\x00" in value else None
    if _SURROGATE.search(value):
        try:
            value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
        except UnicodeDecodeError:
            problem = "it holds half of a surrogate pair"
    if problem is not None:
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value[:60]!r} is not valid text: {problem}", node.start_mark
        )
    return value


class PureLoader(_Lines, yaml.SafeLoader):
    """The pure-Python loader: it reads every file, and words every problem."""


#: libyaml's parser (``yaml.CSafeLoader``) with the same constructors, about six times faster;
#: None where PyYAML was built without libyaml.
FAST_LOADER: type[_Lines] | None = None
if getattr(yaml, "__with_libyaml__", False):

    class _CLineLoader(_Lines, yaml.CSafeLoader):
        """The same loader on libyaml's parser."""

    FAST_LOADER = _CLineLoader

for _loader in (PureLoader, FAST_LOADER):
    if _loader is not None:
        _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
        _loader.add_constructor("tag:yaml.org,2002:str", _construct_text)
