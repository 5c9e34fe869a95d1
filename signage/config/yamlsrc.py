"""Strict YAML reading that remembers where every value came from.

``yaml.compose`` gives a node tree with marks; we turn it into plain Python values ourselves so
that we can (1) keep ``line:col`` for every key and value, (2) refuse aliases, explicit tags and
duplicate keys, and (3) keep the raw text of plain scalars that YAML 1.1 turns into numbers or
booleans (``10:30`` → 630, ``no`` → False) so that the schema can say how to write them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from signage.config.problems import ConfigError, Problem
from signage.i18n import t

MAX_BYTES = 1024 * 1024
Loc = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_TAG + n for n in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


@dataclass
class Source:
    """A parsed YAML file: plain data plus positions keyed by path (``("items", 0, "image")``)."""

    path: Path
    label: str
    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    raw: dict[Loc, str] = field(default_factory=dict)

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of ``loc``, or of its nearest known parent."""
        loc = tuple(loc)
        while True:
            if key and loc in self.keys:
                return self.keys[loc]
            if loc in self.values:
                return self.values[loc]
            if loc in self.keys:
                return self.keys[loc]
            if not loc:
                return (1, 1)
            loc = loc[:-1]

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        line, col = self.position(loc, key=key)
        return Problem(self.label, line, col, message)


class _AliasRefused(Exception):
    def __init__(self, name: str, mark: yaml.Mark):
        self.name, self.mark = name, mark


class _StrictLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML signature
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _AliasRefused(event.anchor, event.start_mark)
        return super().compose_node(parent, index)


def _pos(mark: yaml.Mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


class _Converter:
    def __init__(self, source: Source, loader: _StrictLoader):
        self.source, self.loader = source, loader
        self.problems: list[Problem] = []

    def fail(self, node: yaml.Node, message: str) -> None:
        line, col = _pos(node.start_mark)
        self.problems.append(Problem(self.source.label, line, col, message))

    def convert(self, node: yaml.Node, loc: Loc) -> Any:
        self.source.values[loc] = _pos(node.start_mark)
        if node.tag not in _ALLOWED_TAGS:
            tag = node.tag.replace(_TAG, "!!")
            self.fail(node, t("yaml_tag", tag=tag))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(child, (*loc, i)) for i, child in enumerate(node.value)]
        return self._scalar(node, loc)

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, t("yaml_complex_key"))
                continue
            key = str(key_node.value)
            if key in out:
                first = self.source.keys[(*loc, key)][0]
                self.fail(key_node, t("yaml_duplicate_key", key=key, line=first))
                continue
            self.source.keys[(*loc, key)] = _pos(key_node.start_mark)
            out[key] = self.convert(value_node, (*loc, key))
        return out

    def _scalar(self, node: yaml.ScalarNode, loc: Loc) -> Any:
        if node.style or node.tag in (_TAG + "str", _TAG + "timestamp"):
            return node.value
        self.source.raw[loc] = node.value
        if node.tag == _TAG + "null":
            return None
        if node.tag == _TAG + "bool":
            return self.loader.construct_yaml_bool(node)
        if node.tag == _TAG + "int":
            return self.loader.construct_yaml_int(node)
        return self.loader.construct_yaml_float(node)


def read_yaml(path: Path, label: str | None = None) -> Source:
    """Read one YAML file strictly. Raises ``ConfigError`` with positioned problems."""
    label = label or str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ConfigError([Problem(label, 1, 1, t("file_missing", path=label))]) from None
    except OSError as exc:
        raise ConfigError([Problem(label, 1, 1, t("file_unreadable", error=exc))]) from None
    if size > MAX_BYTES:
        raise ConfigError([Problem(label, 1, 1, t("file_too_big", size=size, limit=MAX_BYTES))])
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError([Problem(label, 1, 1, t("not_utf8"))]) from None
    except OSError as exc:
        raise ConfigError([Problem(label, 1, 1, t("file_unreadable", error=exc))]) from None
    return parse_yaml(text, path, label)


def parse_yaml(text: str, path: Path, label: str) -> Source:
    source = Source(path=path, label=label, data=None)
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
    except _AliasRefused as exc:
        line, col = _pos(exc.mark)
        raise ConfigError([Problem(label, line, col, t("yaml_alias", name=exc.name))]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark) if mark else (1, 1)
        problem = exc.problem or exc.context or "?"
        message = t("yaml_syntax", problem=problem)
        lines = text.splitlines()
        for near in lines[max(0, line - 2) : line]:
            if re.search(r":\s+#[0-9a-fA-F]{3,8}\b", near):
                message = t("yaml_hash_colour")
                line = lines.index(near) + 1
                col = near.index("#") + 1
        raise ConfigError([Problem(label, line, col, message)]) from None
    except yaml.YAMLError as exc:
        raise ConfigError([Problem(label, 1, 1, t("yaml_syntax", problem=exc))]) from None
    finally:
        loader.dispose()
    if node is None:
        source.data = {}
        return source
    converter = _Converter(source, loader)
    source.data = converter.convert(node, ())
    if converter.problems:
        raise ConfigError(converter.problems)
    if not isinstance(source.data, dict):
        raise ConfigError([Problem(label, 1, 1, t("yaml_not_mapping"))])
    return source
