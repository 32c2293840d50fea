"""Reading and validating rules/*.yml, and compiling them into a :class:`RuleSet`.

Every problem is reported as ``file:line: rubric «name»: what is wrong`` so a monitor who edits YAML
can find it. ``check_rules`` collects all problems; ``load_rules`` raises the first as RulesError.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from crawler.errors import RulesError
from crawler.rules.engine import Entry, Group, Leaf, Near, Node, Rubric, RuleSet, split_pattern

GLOBAL_FILE = "_global.yml"
RUBRIC_KEYS = {"rubric", "order", "threshold", "lang", "terms", "exclude", "description"}
GLOBAL_KEYS = {"settings", "exclude"}
SETTINGS_KEYS = {"title_weight", "threshold"}
ENTRY_KEYS = {"term", "near", "within", "all", "any", "none", "weight", "lang", "note"}
GROUP_KEYS = {"all", "any", "none"}
LANGS = {"ru", "kk", "en"}
MIN_STEM = 3  # a shorter stem ('за*') matches half the dictionary
DEFAULT_WITHIN = 5
VALID_WORD = re.compile(r"^[^\W_]+\*?$")
MAX_NESTING = 40  # YAML levels in one file; real rules use 6-8 (rubric, terms, entry, group, group, ...)


# --- YAML with line numbers ---------------------------------------------------------------------


class _Map(dict):
    line: int = 0
    key_lines: dict[Any, int]


class _List(list):
    line: int = 0
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping key and list item (for error messages),
    refuses anchors and aliases (``&a`` / ``*a``: a few lines of them expand to gigabytes, and rules
    never need them) and blocks nested deeper than MAX_NESTING (a stack overflow otherwise)."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise _Problem(line, f"YAML alias *{event.anchor} is not allowed in rules files: write the terms out")
        if getattr(event, "anchor", None):
            raise _Problem(line, f"YAML anchor &{event.anchor} is not allowed in rules files: write the terms out")
        self.depth += 1
        try:
            if self.depth > MAX_NESTING:
                raise _Problem(line, f"blocks nested deeper than {MAX_NESTING} levels: flatten the groups")
            return super().compose_node(parent, index)  # type: ignore[no-any-return]  # untyped PyYAML
        finally:
            self.depth -= 1


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    result = _Map()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            raise _Problem(line, "a key must be a plain word") from None
        if key in result:
            raise _Problem(line, f"key {key!r} appears twice in the same block")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_list(loader: _LineLoader, node: yaml.SequenceNode) -> _List:
    result = _List(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_list)


class _Problem(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


# --- compiling ----------------------------------------------------------------------------------


class _Compiler:
    def __init__(self) -> None:
        self.words: list[tuple[str, bool]] = []
        self._word_ids: dict[tuple[str, bool], int] = {}
        self.term_count = 0
        self.errors: list[str] = []
        self.where = ""  # "rules/x.yml" while compiling a file
        self.rubric = ""

    def error(self, line: int, message: str) -> None:
        who = f" rubric «{self.rubric}»:" if self.rubric else ""
        self.errors.append(f"{self.where}:{line}:{who} {message}")

    # terms

    def leaf(self, pattern: Any, line: int) -> Leaf:
        if isinstance(pattern, bool) or pattern is None:
            raise _Problem(line, f"term {pattern!r} is not text: put it in quotes")
        if isinstance(pattern, (dict, list)):
            raise _Problem(line, "expected a word or phrase here, found a block")
        text = str(pattern).strip()
        if not text:
            raise _Problem(line, "empty term")
        if re.search(r"[^\w\s*\-'’.]", text) or "_" in text:
            raise _Problem(line, f"term {text!r}: only letters, digits, spaces, hyphens and a final '*'")
        words = [w for w in re.split(r"[\s\-'’.]+", text.replace("ё", "е").replace("Ё", "Е")) if w]
        if not words:
            raise _Problem(line, f"term {text!r} has no words")
        atoms = []
        for word in words:
            if not VALID_WORD.match(word):
                raise _Problem(line, f"bad wildcard in {text!r}: '*' may only end a word")
            parts = split_pattern(word)
            stem = word.endswith("*")
            base = parts[0].rstrip("*") if parts else ""
            if stem and len(base) < MIN_STEM:
                raise _Problem(line, f"bad wildcard in {text!r}: a stem needs at least {MIN_STEM} letters")
            atoms.append(self._word(base, stem))
        self.term_count += 1
        return Leaf(display=text, atoms=tuple(atoms))

    def _word(self, text: str, stem: bool) -> int:
        key = (text, stem)
        if key not in self._word_ids:
            self._word_ids[key] = len(self.words)
            self.words.append(key)
        return self._word_ids[key]

    def node(self, value: Any, line: int, *, allow_weight: bool = False) -> tuple[Node, float | None, Any]:
        """Compile one list item; returns (node, weight or None, lang or None)."""
        if not isinstance(value, dict):
            return self.leaf(value, line), None, None
        line = getattr(value, "line", line)
        keys = set(value)
        if len(value) == 1 and not keys & ENTRY_KEYS:  # shorthand  - "задерж*": 2
            ((pattern, weight),) = value.items()
            if not allow_weight:
                raise _Problem(line, f"{pattern!r}: a weight is not allowed inside a group")
            return self.leaf(pattern, line), self._weight(weight, line), None
        unknown = keys - ENTRY_KEYS
        if unknown:
            raise _Problem(line, f"unknown key {sorted(unknown)[0]!r} (use one of: term, near, all, any, none)")
        kinds = [k for k in ("term", "near") if k in keys] + (["group"] if keys & GROUP_KEYS else [])
        if len(kinds) != 1:
            raise _Problem(line, "an entry needs exactly one of: term, near, or all/any/none")
        if not allow_weight and ("weight" in keys or "lang" in keys):
            raise _Problem(line, "weight and lang belong on the top-level entry, not inside a group")
        if "within" in keys and "near" not in keys:
            raise _Problem(line, "'within' only goes with 'near'")
        kind = kinds[0]
        if kind == "term":
            node: Node = self.leaf(value["term"], line)
        elif kind == "near":
            node = self._near(value, line)
        else:
            node = self._group(value, line)
        weight = self._weight(value["weight"], line) if "weight" in value else None
        return node, weight, self._langs(value.get("lang"), line) if "lang" in value else None

    def _near(self, value: dict, line: int) -> Near:
        parts_raw = value["near"]
        if not isinstance(parts_raw, list) or len(parts_raw) < 2:
            raise _Problem(line, "'near' needs a list of at least two words or phrases")
        lines = getattr(parts_raw, "item_lines", [line] * len(parts_raw))
        parts = tuple(self.leaf(p, ln) for p, ln in zip(parts_raw, lines, strict=True))
        within = value.get("within", DEFAULT_WITHIN)
        if isinstance(within, bool) or not isinstance(within, int) or not 1 <= within <= 50:
            raise _Problem(line, f"'within' must be a whole number of words from 1 to 50, not {within!r}")
        display = f" ~{within} ".join(p.display for p in parts)
        return Near(display=display, parts=parts, within=within)

    def _group(self, value: dict, line: int) -> Group:
        if not value.keys() & {"all", "any"}:
            raise _Problem(line, "a group with only 'none' matches nothing: add 'all' or 'any'")
        children: dict[str, tuple[Node, ...]] = {}
        for key in ("all", "any", "none"):
            if key not in value:
                continue
            items = value[key]
            if not isinstance(items, list) or not items:
                raise _Problem(value.key_lines.get(key, line), f"'{key}' needs a non-empty list")
            lines = getattr(items, "item_lines", [line] * len(items))
            children[key] = tuple(self.node(i, ln)[0] for i, ln in zip(items, lines, strict=True))
        parts = []
        for key in ("all", "any", "none"):
            if key in children:
                parts.append(f"{key}({', '.join(_show(c) for c in children[key])})")
        return Group(display=" ".join(parts), **children)

    @staticmethod
    def _weight(weight: Any, line: int) -> float:
        if isinstance(weight, bool) or not isinstance(weight, (int, float)):
            raise _Problem(line, f"weight must be a number, not {weight!r}")
        if weight == 0 or abs(weight) > 100:
            raise _Problem(line, f"weight {weight} is out of range (non-zero, at most 100)")
        return float(weight)

    @staticmethod
    def _langs(value: Any, line: int) -> frozenset[str]:
        items = value if isinstance(value, list) else [value]
        if not items or not all(isinstance(v, str) and v in LANGS for v in items):
            raise _Problem(line, f"lang must be one of {sorted(LANGS)} or a list of them, not {value!r}")
        return frozenset(items)

    def entries(self, items: Any, line: int, *, negative: bool, what: str) -> list[Entry]:
        if not isinstance(items, list):
            self.error(line, f"'{what}' must be a list")
            return []
        if not items:
            self.error(line, f"empty '{what}' list")
            return []
        out = []
        for item, item_line in zip(items, items.item_lines, strict=True):
            try:
                node, weight, langs = self.node(item, item_line, allow_weight=True)
            except _Problem as problem:
                self.error(problem.line, problem.message)
                continue
            weight = 1.0 if weight is None else weight
            if negative:
                weight = -abs(weight)
            elif weight < 0:
                self.error(item_line, "a negative weight belongs under 'exclude'")
                continue
            out.append(Entry(node=node, weight=weight, langs=langs))
        return out


def _show(node: Node) -> str:
    return node.display


def _read(path: Path, compiler: _Compiler) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        compiler.error(1, f"cannot read the file: {exc}")
        return None
    try:
        return yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass: safe_load plus line numbers
    except _Problem as problem:
        compiler.error(problem.line, problem.message)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        compiler.error(mark.line + 1 if mark else 1, f"not valid YAML: {exc.problem or exc}")
    except yaml.YAMLError as exc:
        compiler.error(1, f"not valid YAML: {exc}")
    return None


def compile_rules(directory: str | Path) -> tuple[RuleSet | None, list[str]]:
    """Read every rules file in ``directory``; return the compiled rules and every problem found."""
    directory = Path(directory)
    compiler = _Compiler()
    if not directory.is_dir():
        return None, [f"{directory}: no such rules folder"]
    files = sorted(p for p in directory.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())
    settings: dict[str, float] = {"title_weight": 2.0, "threshold": 3.0}
    exclude: list[Entry] = []
    global_path = directory / GLOBAL_FILE
    if global_path in files:
        files.remove(global_path)
        compiler.where = str(global_path)
        data = _read(global_path, compiler)
        if isinstance(data, dict):
            for key in sorted(set(data) - GLOBAL_KEYS, key=str):
                compiler.error(data.key_lines[key], f"unknown key {key!r} (expected: {', '.join(sorted(GLOBAL_KEYS))})")
            raw = data.get("settings") or {}
            if isinstance(raw, dict):
                for key, value in raw.items():
                    line = raw.key_lines[key]
                    if key not in SETTINGS_KEYS:
                        compiler.error(line, f"unknown setting {key!r}")
                    elif isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                        compiler.error(line, f"{key} must be a positive number")
                    else:
                        settings[key] = float(value)
            if "exclude" in data:
                exclude = compiler.entries(data["exclude"], data.key_lines["exclude"], negative=True, what="exclude")
        elif data is not None:
            compiler.error(1, "expected a block with settings: and exclude:")
    rubrics: list[Rubric] = []
    names: dict[str, str] = {}
    orders: dict[int, str] = {}
    for path in files:
        compiler.where = str(path)
        compiler.rubric = ""
        data = _read(path, compiler)
        if data is None:
            if not compiler.errors or not compiler.errors[-1].startswith(str(path)):
                compiler.error(1, "empty rules file")
            continue
        blocks = data if isinstance(data, list) else [data]
        lines = getattr(data, "item_lines", [1]) if isinstance(data, list) else [getattr(data, "line", 1)]
        for block, line in zip(blocks, lines, strict=True):
            rubric = _rubric(block, line, compiler, settings)
            if rubric is None:
                continue
            here = f"{path}:{line}"
            if rubric.name in names:
                compiler.rubric = rubric.name
                compiler.error(line, f"duplicate rubric, already defined at {names[rubric.name]}")
                continue
            if rubric.order in orders:
                compiler.rubric = rubric.name
                compiler.error(line, f"order {rubric.order} clashes with rubric «{orders[rubric.order]}»")
                continue
            names[rubric.name] = here
            orders[rubric.order] = rubric.name
            rubrics.append(rubric)
        compiler.rubric = ""
    if not rubrics and not compiler.errors:
        compiler.errors.append(f"{directory}: no rubric files (*.yml)")
    if compiler.errors:
        return None, compiler.errors
    ruleset = RuleSet(
        rubrics,
        compiler.words,
        title_weight=settings["title_weight"],
        exclude=exclude,
        term_count=compiler.term_count,
    )
    return ruleset, []


def _rubric(block: Any, line: int, compiler: _Compiler, settings: dict[str, float]) -> Rubric | None:
    compiler.rubric = ""
    if not isinstance(block, dict):
        compiler.error(line, "expected a rubric block (rubric:, order:, terms:)")
        return None
    name = block.get("rubric")
    if not isinstance(name, str) or not name.strip():
        compiler.error(block.line, "missing 'rubric:' name")
        return None
    compiler.rubric = name = name.strip()
    ok = True
    for key in sorted(set(block) - RUBRIC_KEYS, key=str):
        compiler.error(block.key_lines[key], f"unknown key {key!r}")
        ok = False
    order = block.get("order")
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        compiler.error(
            block.key_lines.get("order", block.line),
            "'order' must be a whole number from 1 (bulletin position)",
        )
        ok = False
    threshold = block.get("threshold", settings["threshold"])
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or threshold <= 0:
        compiler.error(block.key_lines.get("threshold", block.line), "'threshold' must be a positive number")
        ok = False
    langs = None
    if "lang" in block:
        try:
            langs = compiler._langs(block["lang"], block.key_lines["lang"])
        except _Problem as problem:
            compiler.error(problem.line, problem.message)
            ok = False
    if "terms" not in block:
        compiler.error(block.line, "missing 'terms:' list")
        return None
    before = len(compiler.errors)
    entries = compiler.entries(block["terms"], block.key_lines["terms"], negative=False, what="terms")
    if "exclude" in block:
        entries += compiler.entries(block["exclude"], block.key_lines["exclude"], negative=True, what="exclude")
    if len(compiler.errors) > before or not ok:
        return None
    return Rubric(
        name=name,
        order=order,
        threshold=float(threshold),
        entries=entries,
        langs=langs,
        source=compiler.where,
    )


def check_rules(directory: str | Path) -> list[str]:
    """Every problem in the rules folder, one ``file:line: ...`` line each (empty: all good)."""
    return compile_rules(directory)[1]


def load_rules(directory: str | Path) -> RuleSet:
    """Compile the rules in ``directory`` once; raise RulesError naming file and line on any problem."""
    ruleset, errors = compile_rules(directory)
    if errors or ruleset is None:
        more = f" (and {len(errors) - 1} more problems: run `crawler rules check`)" if len(errors) > 1 else ""
        raise RulesError(errors[0] + more)
    return ruleset
