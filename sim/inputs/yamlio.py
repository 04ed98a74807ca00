"""Reading YAML that a user wrote: a bounded, strict reader for scenario files and ``--set`` values.

PyYAML's ``safe_load`` is safe from code execution but not from odd input: the last of two duplicate keys
silently wins (a scenario that says one thing and runs another), an impossible date (``2020-02-30``)
escapes as a bare ``ValueError``, 500 nested brackets exhaust the recursion limit, a few aliases expand into
billions of nodes ("billion laughs") and ``extends: /dev/zero`` reads forever. `BoundedLoader` turns each
of these into a `YAMLInputError` with the line and column, which the loader reports as one line naming the
file; `read_text_bounded` reads at most a fixed number of bytes, so no file can exhaust memory.

The limits sit far above what a scenario needs (the baseline is about 20 kB, nests 6 levels and uses no
alias), and far below what would hurt the machine.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.error import Mark, MarkedYAMLError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_BYTES = 1_000_000  # a scenario file; the baseline is about 20 kB
MAX_DEPTH = 32  # nesting of mappings and sequences; the baseline nests 6 deep
MAX_ALIASES = 100  # '*name' references in one document
MAX_NODES = 100_000  # values after aliases are expanded; the baseline resolves to about 2,500


class YAMLInputError(MarkedYAMLError):
    """Well-formed YAML that a scenario must not contain (a duplicate key, an impossible date, a limit)."""


def _fail(problem: str, mark: Mark | None) -> None:
    raise YAMLInputError(problem=problem, problem_mark=mark)


class BoundedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that rejects duplicate keys, impossible dates, over-long integers, sets and
    binary tags, and bounds nesting, aliases and the expanded size of the document."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                _fail(f"more than {MAX_ALIASES} aliases", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            _fail(f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_document(self) -> Node | None:
        node = super().compose_document()
        if node is not None and self._aliases:
            _expanded_size(node, {})
        return node

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, MappingNode):
            seen: dict[Any, Mark] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.get(key)
                except TypeError:  # unhashable: the base class reports it
                    continue
                if first is not None:
                    _fail(f"duplicate key '{key}' (first at line {first.line + 1})", key_node.start_mark)
                seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: ScalarNode) -> dt.date:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            _fail(f"'{node.value}' is not a real date ({exc})", node.start_mark)
            raise  # unreachable: _fail raises

    def construct_yaml_int(self, node: ScalarNode) -> int:
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            _fail(f"integer of {len(node.value)} digits is too long", node.start_mark)
            raise  # unreachable: _fail raises

    def _refuse_tag(self, node: Node) -> None:
        _fail(f"the tag {node.tag} is not allowed in a scenario", node.start_mark)


BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", BoundedLoader.construct_yaml_timestamp)
BoundedLoader.add_constructor("tag:yaml.org,2002:int", BoundedLoader.construct_yaml_int)
for _tag in ("set", "omap", "pairs", "binary"):
    # sets iterate in a hash-seeded order (runs would differ between processes); the others are never needed
    BoundedLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", BoundedLoader._refuse_tag)


def _expanded_size(node: Node, memo: dict[int, tuple[int, int]], level: int = 1) -> tuple[int, int]:
    """(values, nesting) of ``node`` once every alias is expanded: an alias may nest its anchor's value
    inside itself again and again, so both are bounded as in a document without aliases."""
    if level > MAX_DEPTH:
        _fail(f"nested more than {MAX_DEPTH} levels deep once aliases are expanded", node.start_mark)
    key = id(node)
    if key in memo:
        size, height = memo[key]
    else:
        memo[key] = (0, MAX_DEPTH + 1)  # while in progress: an alias back to it is a recursive alias
        size, height = 1, 1
        children = node.value if isinstance(node, SequenceNode) else []
        if isinstance(node, MappingNode):
            children = [part for pair in node.value for part in pair]
        for child in children:
            if memo.get(id(child)) == (0, MAX_DEPTH + 1):
                _fail("an alias refers to the value that contains it", child.start_mark)
            s, h = _expanded_size(child, memo, level + 1)
            size, height = size + s, max(height, h + 1)
            if size > MAX_NODES:
                _fail(f"expands to more than {MAX_NODES:,} values (aliases)", node.start_mark)
        memo[key] = (size, height)
    if level + height - 1 > MAX_DEPTH:
        _fail(f"nested more than {MAX_DEPTH} levels deep once aliases are expanded", node.start_mark)
    return size, height


def load_yaml(text: str) -> Any:
    """Parse one YAML document with `BoundedLoader`; raises ``yaml.YAMLError`` (`YAMLInputError` for the
    checks above)."""
    loader = BoundedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def read_text_bounded(path: Path, limit: int = MAX_BYTES) -> str:
    """The UTF-8 text of ``path``, reading at most ``limit`` bytes; ``OSError`` or ``ValueError`` (with a
    message for the user) otherwise. Devices are refused (``/dev/zero`` is endless, ``/dev/stdin`` waits)."""
    mode = os.stat(path).st_mode
    if stat.S_ISDIR(mode):
        raise ValueError("is a directory, expected a file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISSOCK(mode):
        raise ValueError("is a device or socket, expected a file")
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"larger than {limit:,} bytes: is this the right file?")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text (byte {exc.start})") from None


def yaml_problem(exc: yaml.YAMLError) -> str:
    """One line for a YAML error: where (line, column) and what."""
    mark = getattr(exc, "problem_mark", None)
    pos = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    problem = getattr(exc, "problem", None) or str(exc)
    if isinstance(exc, YAMLInputError):
        return f"{pos[4:]}: {problem}" if mark else problem
    if isinstance(exc, ConstructorError):
        return f"cannot read a value{pos}: {problem}"
    return f"broken YAML{pos}: {problem}"
