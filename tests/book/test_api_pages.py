"""Which API page documents which public name (book/_ext/api_pages.py): each name once, no
private module, no lab content, and the module list follows the packages on disk."""

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import api_pages  # noqa: E402

PAGES = api_pages.api_pages()


def _documented():
    for module, page in PAGES.items():
        for kind in ("functions", "classes", "exceptions"):
            yield from (f"{module}.{n}" for n in page[kind])
        yield from (f"{module}.{d['name']}" for d in page["data"])


def test_every_public_name_is_documented_exactly_once():
    documented = list(_documented())
    assert len(documented) == len(set(documented))
    objects = {}
    for qualified in documented:
        module, _, name = qualified.rpartition(".")
        obj = getattr(importlib.import_module(module), name)
        if callable(obj):
            assert id(obj) not in objects, f"{qualified} and {objects.get(id(obj))}"
            objects[id(obj)] = qualified
    for package in ("vmotion_core", "vmotion_labs"):
        mod = importlib.import_module(package)
        for name in mod.__all__:
            obj = getattr(mod, name)
            if callable(obj):
                assert id(obj) in objects, f"{package}.{name} has no API page entry"


def test_reexports_point_at_the_documented_place():
    documented = set(_documented())
    for page in PAGES.values():
        for _name, target in page["reexports"]:
            assert target in documented


def test_no_private_module_lab_content_or_cli_gets_a_page():
    for module in PAGES:
        parts = module.split(".")
        assert not any(p.startswith("_") for p in parts), module
        assert not (len(parts) > 1 and parts[0] == "vmotion_labs" and parts[1].startswith("lab"))
        assert not module.startswith(("vmotion_core.cli", "vmotion_core.commands"))


def test_modules_are_found_on_disk_not_listed():
    on_disk = {p.stem for p in (ROOT / "vmotion_core" / "precopy").glob("[!_]*.py")}
    listed = {m.rsplit(".", 1)[1] for m in PAGES if m.startswith("vmotion_core.precopy.")}
    with_all = {m for m in on_disk
                if getattr(importlib.import_module(f"vmotion_core.precopy.{m}"), "__all__", None)}
    assert listed == with_all


def test_undocumented_constants_are_described_not_given_their_types_docstring():
    units = {d["name"]: d for d in PAGES["vmotion_core.units"]["data"]}
    assert units["GiB"] == {"name": "GiB", "documented": False, "type": "int",
                            "value": str(2**30), "holds": ""}
    assert units["MAX_CHARS"]["documented"]
