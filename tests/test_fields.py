"""``vmotion_core.fields``: one declaration per field, two wordings (file and Python API)."""

from dataclasses import dataclass

import numpy as np
import pytest

from vmotion_core.errors import ConfigError
from vmotion_core.fields import (BAD, Bool, Choice, Int, ListOf, Num, Obj, Optional, check_fields,
                                 meaning_of, schema_of, spec)
from vmotion_core.precopy import Link, PrecopyConfig


@dataclass(frozen=True)
class _Nic:
    name: str = spec(Choice(("a", "b")), "which one")
    mtu: int = spec(Int(1280, 9000), "MTU in bytes", 1500)


@dataclass(frozen=True)
class _Box:
    nics: tuple = spec(ListOf(Obj(_Nic)), "NICs", ())
    rate: float = spec(Num(0, 10, allowed="between 0 and 10 Gbit/s"), "rate", 1.0)
    on: bool = spec(Bool(api=True), "switched on", False)
    cap: int | None = spec(Optional(Int(1, 4, api=True)), "cap", None)


def test_declaration_gives_schema_meaning_and_default():
    assert list(schema_of(_Nic)) == ["name", "mtu"]
    assert meaning_of(_Nic, "mtu") == "MTU in bytes" and _Nic("a").mtu == 1500


def test_file_wording_collects_every_problem_with_its_path():
    problems = []
    got = ListOf(Obj(_Nic)).convert([{"name": "c", "mtu": 9216, "mut": 1}, {"name": "a"}],
                                    "nics", problems)
    assert got == (None, _Nic("a"))  # the rejected object keeps its index
    assert problems == [
        "nics[0].mut: unknown key 'mut' (did you mean 'mtu'?); allowed: name, mtu",
        "nics[0].name: 'c' is not allowed; allowed: a, b",
        "nics[0].mtu: must be an integer between 1280 and 9000, got 9216 (int)"]
    assert Obj(_Nic).convert([], "x", []) is BAD


def test_api_wording_raises_the_first_problem_with_the_prefix():
    box = _Box(rate=np.float32(2.5), cap=np.int64(3))  # _Box checks only when asked
    check_fields(box, "box.")
    assert type(box.rate) is float and type(box.cap) is int  # NumPy scalars stored as Python
    for kwargs, text in [({"rate": 11}, "box.rate: must be between 0 and 10 Gbit/s, got 11"),
                         ({"rate": "1"}, "box.rate: must be a number between 0 and 10 Gbit/s"),
                         ({"on": 1}, "box.on: must be True or False, got 1"),
                         ({"cap": 0}, "box.cap: must be a whole number between 1 and 4, got 0"),
                         ({"rate": 11, "on": 1}, "box.rate: ")]:
        with pytest.raises(ConfigError) as err:
            check_fields(_Box(**kwargs), "box.")
        assert str(err.value).startswith(text), err.value


@pytest.mark.parametrize("build", [lambda: Link(streams=10**5000),
                                   lambda: PrecopyConfig(memory_gib=10**5000),
                                   lambda: Link(concurrent=-10**400)])
def test_a_huge_integer_is_refused_by_name_not_with_a_traceback(build):
    with pytest.raises(ConfigError, match="got a whole number of [0-9,]+ digits"):
        build()
