"""Which page of the Python API reference documents which public name. Not public.

The API pages are Sphinx autosummary stubs (``reference/api/index.rst``, ``:recursive:``), written
from ``_templates/autosummary/module.rst`` and filled in by autodoc and napoleon. This extension
only gives that template what autosummary cannot know, as ``autosummary_context["api_pages"]``:

- which modules are public: no name part starts with ``_``, the module defines ``__all__`` (or is
  a package with public submodules), and it is not lab content (``vmotion_labs.labNN_*``) or the
  CLI (``vmotion_core.cli`` and ``vmotion_core.commands``: its page is ``reference/cli``);
- where each object is documented: once, on the page of the first public module listing it in
  ``__all__``, deepest module first (so ``simulate_precopy`` lives on
  ``vmotion_core.precopy.engine`` and the ``vmotion_core`` page links to it instead of repeating
  it, which Sphinx would report as a duplicate object description).

Modules are found by walking the packages, so moving or adding modules needs no edit here.
"""

import importlib
import inspect
import pkgutil
import re

from sphinx.pycode import ModuleAnalyzer

PACKAGES = ("vmotion_core", "vmotion_labs")
# the CLI has its own page (sphinx-argparse); labNN_* packages are lab content, not API
_SKIP = re.compile(r"^vmotion_core\.(cli|commands)(\.|$)|^vmotion_labs\.lab\d")
_KINDS = ("functions", "classes", "exceptions", "data")
# a value shown next to a constant only when it is short; the rest say what they hold
_SHORT_VALUE = 60


def _public(name):
    return not any(part.startswith("_") for part in name.split(".")) and not _SKIP.search(name)


def _walk():
    """Every public module of PACKAGES (imported), in name order."""
    found = {}
    for pkg_name in PACKAGES:
        pkg = importlib.import_module(pkg_name)  # a broken package fails the build loudly
        found[pkg_name] = pkg
        for info in pkgutil.walk_packages(pkg.__path__, pkg_name + ".",
                                          onerror=lambda name: None):
            if _public(info.name):
                found[info.name] = importlib.import_module(info.name)
    return dict(sorted(found.items()))


def _kind(obj):
    if inspect.isclass(obj):
        return "exceptions" if issubclass(obj, BaseException) else "classes"
    if callable(obj):
        return "functions"
    return "data"


def _data_entry(name, obj, attr_docs):
    """How the template shows constant ``name``: autodoc for one with a ``#:`` comment or a
    docstring after it; otherwise its type and what it holds (autodoc would print the docstring
    of its type, e.g. ``dict``'s, as if it were the constant's)."""
    entry = {"name": name, "documented": ("", name) in attr_docs, "type": type(obj).__name__,
             "value": "", "holds": ""}
    if isinstance(obj, (str, int, float, bool)) and len(repr(obj)) <= _SHORT_VALUE:
        entry["value"] = repr(obj)
    elif isinstance(obj, dict):
        entry["holds"] = f"A ``dict`` with {len(obj)} entries."
    elif isinstance(obj, (tuple, list, frozenset, set)):
        shown = ", ".join(f"``{v!r}``" for v in list(obj)[:12])
        entry["holds"] = f"{len(obj)} items: {shown}{', ...' if len(obj) > 12 else ''}"
    return entry


def api_pages():
    """``{module: page}`` for the template; a page lists its ``submodules``, the names it
    documents by kind (constants as dicts, see :func:`_data_entry`) and ``reexports``
    (``(name, documented as)`` pairs)."""
    modules = _walk()
    listed = {m: [n for n in getattr(mod, "__all__", ()) or () if not n.startswith("__")]
              for m, mod in modules.items()}
    pages = {m: {"submodules": [], "reexports": [], **{k: [] for k in _KINDS}} for m in modules}
    owner = {}
    # deepest first: the module that defines (or most closely holds) a name documents it
    for m in sorted(modules, key=lambda m: (-m.count("."), m)):
        for name in listed[m]:
            obj = getattr(modules[m], name, None)
            if obj is None:
                raise ValueError(f"{m}.__all__ lists {name!r} but the module has no such name")
            if inspect.ismodule(obj):
                continue
            # a re-export is the same object; a constant keeps its name when re-exported (two
            # constants that merely share a value, e.g. 500, are not the same thing)
            key = id(obj) if inspect.isclass(obj) or callable(obj) else (name, id(obj))
            if key in owner:
                pages[m]["reexports"].append((name, owner[key]))
                continue
            owner[key] = f"{m}.{name}"
            kind = _kind(obj)
            if kind == "data":
                attr_docs = ModuleAnalyzer.for_module(m).find_attr_docs()
                pages[m]["data"].append(_data_entry(name, obj, attr_docs))
            else:
                pages[m][kind].append(name)
    for m in modules:
        parent = m.rpartition(".")[0]
        if parent in pages:
            pages[parent]["submodules"].append(m)
    # a module with nothing to show and no submodules gets no page
    keep = {m for m, p in pages.items() if listed[m] or p["submodules"]}
    for p in pages.values():
        p["submodules"] = [s for s in p["submodules"] if s in keep]
    return {m: p for m, p in pages.items() if m in keep}


def _set_context(app, config):
    config.autosummary_context = {**(config.autosummary_context or {}), "api_pages": api_pages()}


def _skip_foreign(app, what, name, obj, skip, options):
    """Leave out methods a base class outside the project generates (matplotlib's
    ``Artist.set`` on a Figure subclass): they are documented by their own project."""
    module = getattr(inspect.unwrap(obj), "__module__", None) if callable(obj) else None
    if what in ("class", "exception") and module and not module.startswith(PACKAGES):
        return True
    return None


def setup(app):
    app.connect("config-inited", _set_context)
    app.connect("autodoc-skip-member", _skip_foreign)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
