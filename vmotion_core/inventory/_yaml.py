"""Reading scenario YAML without surprises (stage 0 of loading).

PyYAML alone lets odd text escape as Python exceptions (an unquoted ``2023-02-30`` is a
``ValueError``, ``!!bool maybe`` a ``KeyError``, 500 nested ``[`` a ``RecursionError``) and lets a
few hundred bytes of aliases expand into gigabytes. Here the parser's events are first counted
against the limits (stopping at the first one passed, before any node is built), then the nodes
are composed and each is checked once (tags, values, keys, merge keys, expanded size), and only a
clean tree is turned into Python data. Every problem is ``"path: message (line L, column C)"``,
all at once.
Merge keys (``<<: *defaults``) are supported, as in YAML 1.1.
"""

import sys

import yaml

from ..errors import ScenarioError, shown
from ..fields import join_path

__all__ = ["read_yaml", "size_problem", "LIMITS"]

#: Limits of a scenario text. The built-in scenarios are under 10 KB, nest 6 deep and use no
#: aliases; these leave room for a site of hundreds of hosts and thousands of VMs while keeping
#: the worst load within a few seconds and ~150 MB.
LIMITS = {
    "bytes": 1024 * 1024,      # size of the file or text
    "depth": 32,               # nesting of lists and mappings, also after expanding aliases
    "aliases": 10_000,         # uses of *name (yaml.safe_dump writes one per shared object)
    "nodes": 100_000,          # values in the tree after expanding aliases (alias bombs)
    "items": 10_000,           # entries in one list or mapping
    "chars": 10_000,           # characters in one value (names are held to 80 later)
}

# Learner-visible wording, one place (translated with the rest later).
_MSG = {
    "bytes": "the scenario is {n:,} bytes; at most {limit:,} allowed",
    "depth": "lists and mappings nest more than {limit} deep",
    "aliases": "more than {limit:,} aliases (*name)",
    "nodes": "more than {limit:,} values (counting each use of an alias as a copy)",
    "items": "more than {limit:,} entries in one list or mapping",
    "chars": "text of {n:,} characters; at most {limit:,} allowed",
    "recursive": "an alias refers to the list or mapping that contains it",
    "tag": "unknown tag {tag!r}; write plain values (no !tags)",
    "tag_kind": "tag {tag!r} does not fit a {kind}",
    "key": "a key must be plain text or a number, not a {kind}",
    "duplicate": "duplicate key {key}",
    "merge": "'<<' (merge key) takes a mapping or a list of mappings, e.g. '<<: *defaults'",
    "not_text": "expected YAML text, got {what}",
    "encoding": "the text is not UTF-8",
    "yaml": "not valid YAML: {problem}",
    "value": "{value} is not {kind}{hint}",
    "equals": "a lone '=' must be quoted",
    "long_number": "a number of {n:,} characters is too long (at most {limit:,}); quote it to keep "
                   "it as text",
}
_YAML_HINTS = {  # PyYAML's wording -> what to do about it
    "but found another document": "a scenario is one YAML document; found a second '---'",
    "found undefined alias": "an alias (*name) comes before or without its anchor (&name)",
}
_KINDS = {  # tag -> (what it should have been, hint)
    "timestamp": ("a date", " — quote text that looks like a date"),
    "int": ("a whole number", "; quote it to keep it as text"),
    "float": ("a number", "; quote it to keep it as text"),
    "bool": ("true or false", "; quote it to keep it as text"),
    "null": ("null", ""),
    "binary": ("base64 data", ""),
}
_T = "tag:yaml.org,2002:"
_MERGE = _T + "merge"
_SEQ_TAGS = {_T + "seq", _T + "omap", _T + "pairs"}
_MAP_TAGS = {_T + "map", _T + "set"}


class _Limit(Exception):
    def __init__(self, key, mark, path="", **kw):
        super().__init__(key)
        self.key, self.mark, self.path, self.kw = key, mark, path, kw


# libyaml's parser when PyYAML was built with it (the wheels are): scanning stays fast up to the
# size limit; the pure-Python parser gives the same events, only slower.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_START = {yaml.SequenceStartEvent, yaml.MappingStartEvent}
_END = {yaml.SequenceEndEvent, yaml.MappingEndEvent}


class _Open:
    """A list or mapping the prescan is inside: values seen so far and the last key."""
    __slots__ = ("per_entry", "values", "key")

    def __init__(self, per_entry):
        self.per_entry, self.values, self.key = per_entry, 0, "?"

    def child(self):  # the path step to the value just counted
        return f"[{self.values - 1}]" if self.per_entry == 1 else f".{self.key}"


def _path(stack, *steps):
    """Path of the innermost open collection (plus ``steps``), shortened for a message."""
    path = "".join([*(o.child() for o in stack[1:-1]), *steps]).lstrip(".")
    return path if len(path) <= 100 else path[:100] + "…"


def _prescan(text):
    """Walk the parser's events once and stop at the first limit passed, before any node is
    built: depth, aliases, values, entries per collection, characters per value. Returns the
    number of aliases."""
    aliases = nodes = 0
    stack = [_Open(1)]  # the document, then every open collection
    alias, scalar, start, seq = yaml.AliasEvent, yaml.ScalarEvent, _START, yaml.SequenceStartEvent
    for event in yaml.parse(text, Loader=_Loader):
        kind = type(event)
        if kind in _END:
            stack.pop()
            continue
        if kind is not alias and kind is not scalar and kind not in start:
            continue
        top = stack[-1]
        top.values += 1
        if kind is alias:
            aliases += 1
            if aliases > LIMITS["aliases"]:
                _limit("aliases", event, stack)
            continue
        nodes += 1
        if kind is scalar:
            if top.per_entry == 2 and top.values % 2:
                top.key = join_path("", event.value)  # short, no control characters
            if len(event.value) > LIMITS["chars"]:
                _limit("chars", event, stack, n=len(event.value))
        else:
            stack.append(_Open(1 if kind is seq else 2))
            if len(stack) - 1 > LIMITS["depth"]:
                _limit("depth", event, stack[:-1])
        if nodes > LIMITS["nodes"]:
            _limit("nodes", event, stack)
        if top.values > top.per_entry * LIMITS["items"]:
            _limit("items", event, stack[:stack.index(top) + 1], container=True)
    return aliases


def _limit(key, event, stack, container=False, **kw):
    top = stack[-1]
    is_key = top.per_entry == 2 and top.values % 2
    path = _path(stack) if container or is_key else _path(stack, top.child())
    raise _Limit(key, event.start_mark, path, **kw)


def _where(mark):
    return f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""


def _problem(path, text, mark):
    return f"{path}: {text}{_where(mark)}" if path else f"{text}{_where(mark)}".lstrip()


def read_yaml(text, source="<text>"):
    """Return the Python data of scenario YAML ``text`` (str or UTF-8 bytes), or raise
    :class:`ScenarioError` listing every problem with its path, line and column.

    >>> read_yaml("name: x\\nhosts: [&h {name: a}, *h]")["hosts"][1]
    {'name': 'a'}
    >>> read_yaml("description: 2023-02-30")
    Traceback (most recent call last):
    ...
    vmotion_core.errors.ScenarioError: <text>: 1 problem(s)
      description: 2023-02-30 is not a date — quote text that looks like a date (line 1, column 14)
    """
    text = _as_text(text, source)
    loader = None
    try:
        aliases = _prescan(text)
        loader = _Loader(text)
        root = loader.get_single_node()
        if root is None:
            return None
        problems = _check_nodes(loader, root)
        if not problems and aliases:  # without aliases the prescan has bounded the tree
            problems = _check_expansion(root)
        if problems:
            raise ScenarioError(source, problems)
        return loader.construct_document(root)
    except _Limit as exc:
        raise ScenarioError(source, [_problem(exc.path, _MSG[exc.key].format(
            limit=LIMITS[exc.key], **exc.kw), exc.mark)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or _reader_mark(exc, text)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problem = next((h for k, h in _YAML_HINTS.items() if problem.startswith(k)), problem)
        raise ScenarioError(source, [_problem("", _MSG["yaml"].format(problem=problem),
                                              mark)]) from None
    finally:
        if loader is not None:
            loader.dispose()


def _reader_mark(exc, text):
    """Line and column of a character the reader refused (it reports only an offset)."""
    pos = getattr(exc, "position", None)
    if not isinstance(pos, int) or not 0 <= pos <= len(text):
        return None
    return yaml.Mark("", pos, text.count("\n", 0, pos), pos - text.rfind("\n", 0, pos) - 1,
                     None, None)


def size_problem(n_bytes):
    """The problem text for a scenario of ``n_bytes``, or None when it is within the limit."""
    if n_bytes > LIMITS["bytes"]:
        return _MSG["bytes"].format(n=n_bytes, limit=LIMITS["bytes"])
    return None


def _as_text(text, source):
    if isinstance(text, (bytes, bytearray)):
        if size_problem(len(text)):
            raise ScenarioError(source, [size_problem(len(text))])
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise ScenarioError(source, [_MSG["encoding"]]) from None
    if not isinstance(text, str):
        raise ScenarioError(source, [_MSG["not_text"].format(what=shown(text))])
    if size_problem(len(text)):  # characters: at least as many bytes
        raise ScenarioError(source, [size_problem(len(text))])
    return text


def _check_nodes(loader, root):
    """Check every distinct node once: tags, scalar values, keys, merge keys."""
    problems, seen = [], set()
    stack = [(root, "")]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            msg = _scalar_problem(loader, node)
        elif isinstance(node, yaml.SequenceNode):
            msg = None if node.tag in _SEQ_TAGS else _MSG["tag_kind"].format(
                tag=node.tag.replace(_T, "!!"), kind="list")
            stack += [(child, f"{path}[{i}]") for i, child in reversed(list(enumerate(node.value)))]
        else:
            msg = None if node.tag in _MAP_TAGS else _MSG["tag_kind"].format(
                tag=node.tag.replace(_T, "!!"), kind="mapping")
            msg = msg or _mapping_problem(loader, node, path, problems)
            stack += [(v, join_path(path, k.value))
                      for k, v in reversed(node.value) if isinstance(k, yaml.ScalarNode)]
        if msg:
            problems.append(_problem(path, msg, node.start_mark))
    return problems


def _scalar_problem(loader, node):
    if node.tag == _MERGE:
        return None  # checked with its mapping
    if node.tag == _T + "value":
        return _MSG["equals"]
    if node.tag not in loader.yaml_constructors:
        return _MSG["tag"].format(tag=node.tag.replace(_T, "!!"))
    try:
        loader.construct_object(node)  # kept: construct_document reuses it
    except Exception:  # PyYAML's constructors fail with many types (ValueError, KeyError, ...)
        if node.tag == _T + "int" and len(node.value) > sys.get_int_max_str_digits() > 0:
            return _MSG["long_number"].format(n=len(node.value), limit=sys.get_int_max_str_digits())
        kind, hint = _KINDS.get(node.tag.replace(_T, ""), (f"a {node.tag.replace(_T, '!!')}", ""))
        plain = len(node.value) <= 60 and node.value.isprintable()
        value = node.value if plain else shown(node.value)
        return _MSG["value"].format(value=value or '""', kind=kind, hint=hint)
    return None


def _mapping_problem(loader, node, path, problems):
    """Keys must be plain and unique; a merge key takes mappings. Appends per-key problems."""
    seen = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            kind = "list" if isinstance(key, yaml.SequenceNode) else "mapping"
            problems.append(_problem(path, _MSG["key"].format(kind=kind), key.start_mark))
        elif key.tag == _MERGE:
            merged = value.value if isinstance(value, yaml.SequenceNode) else [value]
            if not all(isinstance(v, yaml.MappingNode) for v in merged):
                problems.append(_problem(path, _MSG["merge"], key.start_mark))
        else:
            msg = _scalar_problem(loader, key)
            if msg:
                problems.append(_problem(path, f"key {msg}", key.start_mark))
                continue
            k = loader.construct_object(key)
            if k in seen:
                problems.append(_problem(path, _MSG["duplicate"].format(key=shown(k)),
                                         key.start_mark))
            seen[k] = True
    return None


def _check_expansion(root):
    """Values and depth after expanding aliases, counted per distinct node (linear time)."""
    size, depth, state = {}, {}, {}
    stack = [(root, False)]
    while stack:
        node, closing = stack.pop()
        kids = _children(node)
        if closing:
            size[id(node)] = min(1 + sum(size[id(c)] for c in kids), LIMITS["nodes"] + 1)
            depth[id(node)] = 1 + max((depth[id(c)] for c in kids), default=0)
            state[id(node)] = "done"
            if size[id(node)] > LIMITS["nodes"]:
                return [_problem("", _MSG["nodes"].format(limit=LIMITS["nodes"]), node.start_mark)]
            if depth[id(node)] > LIMITS["depth"]:
                return [_problem("", _MSG["depth"].format(limit=LIMITS["depth"]), node.start_mark)]
            continue
        if state.get(id(node)) == "done":
            continue
        if state.get(id(node)) == "open":  # reached again from inside itself
            return [_problem("", _MSG["recursive"], node.start_mark)]
        state[id(node)] = "open"
        stack.append((node, True))
        stack += [(c, False) for c in kids]
    return []


def _children(node):
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return ()
