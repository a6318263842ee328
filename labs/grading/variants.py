"""Per-learner lab variants, derived from learner id + lab id + a course key.

Every number, name, address and injected fault a lab varies is drawn *by name* from a keyed hash
(HMAC-SHA256), not from a sequential random stream: ``draw.integer("vlan", 100, 3999)`` gives the
same VLAN for the same learner whatever else the lab draws, so adding a parameter to a lab never
shifts the others. An instructor regenerates any learner's variant with :func:`make_variant`.

The course key comes from the ``course=`` argument, else the ``VMOTION_COURSE`` environment
variable, else a public default. It is **not a secret**: the learner's notebook needs it to build
its start state, so a learner who reads the courseware can recompute any variant. Variants make
copied work visible (another learner's operations rarely replay on your variant); grading never
relies on a secret held on the learner's side (see :mod:`vmotion_labs.grading.oplog`).
"""

import hashlib
import hmac
import json
import os
import re
from dataclasses import dataclass, field

from vmotion_core.errors import ConfigError

__all__ = ["DEFAULT_COURSE", "COURSE_ENV", "course_key", "check_learner_id", "Draw",
           "Variant", "make_variant", "canonical_json", "two_host_site"]

DEFAULT_COURSE = "vmotion-workshop-public-course"
COURSE_ENV = "VMOTION_COURSE"
_LEARNER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}")


def course_key(course=None):
    """Return the course key: the argument, else ``$VMOTION_COURSE``, else the public default.

    >>> course_key("fall-2026")
    'fall-2026'
    """
    if course is None:
        course = os.environ.get(COURSE_ENV) or DEFAULT_COURSE
    if not isinstance(course, str) or not course or len(course) > 200:
        raise ConfigError("course", "must be a non-empty string of at most 200 characters")
    return course


def check_learner_id(learner):
    """Return ``learner`` if it is a valid learner id, else raise ``ConfigError``.

    A learner id is 1-64 characters: letters, digits and ``. _ @ + -``, starting with a letter or
    digit (an e-mail address or a student number works).

    >>> check_learner_id("alice@example.org")
    'alice@example.org'
    """
    if not isinstance(learner, str) or not _LEARNER.fullmatch(learner):
        raise ConfigError("learner", f"{learner!r} is not a learner id (1-64 letters, digits "
                                     "or . _ @ + -, starting with a letter or digit)")
    return learner


def canonical_json(data):
    """Serialise ``data`` to canonical JSON (sorted keys, no spaces): the text that gets hashed.

    >>> canonical_json({"b": 1, "a": [1, 2]})
    '{"a":[1,2],"b":1}'
    """
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


class Draw:
    """Named, keyed draws for one (lab, learner, course key).

    Parameters
    ----------
    lab_id, learner, course : str
        Together they key every draw.

    Examples
    --------
    >>> d = Draw("lab01", "alice", "s")
    >>> d.integer("vlan", 100, 199) == Draw("lab01", "alice", "s").integer("vlan", 100, 199)
    True
    >>> 100 <= d.integer("vlan", 100, 199) <= 199
    True
    """

    def __init__(self, lab_id, learner, course):
        self._key = hmac.new(course_key(course).encode(), f"{lab_id}\0{learner}".encode(),
                             hashlib.sha256).digest()

    def _u64(self, name, index=0):
        mac = hmac.new(self._key, f"{name}\0{index}".encode(), hashlib.sha256).digest()
        return int.from_bytes(mac[:8], "big")

    def integer(self, name, low, high):
        """An integer in ``[low, high]`` (both included)."""
        return low + self._u64(name) % (high - low + 1)

    def choice(self, name, options):
        """One element of ``options`` (a sequence)."""
        options = list(options)
        return options[self._u64(name) % len(options)]

    def uniform(self, name, low, high, digits=1):
        """A float in ``[low, high]`` rounded to ``digits`` decimals."""
        return round(low + (high - low) * (self._u64(name) / 2**64), digits)

    def sample(self, name, options, k):
        """``k`` distinct elements of ``options``, in a keyed order."""
        ranked = sorted(options, key=lambda o: self._u64(name, str(o)))
        return ranked[:k]


@dataclass(frozen=True)
class Variant:
    """The parameters of one learner's copy of a lab (``params``: a JSON-safe dict of names,
    addresses, numbers and the injected fault)."""

    lab_id: str
    learner: str
    params: dict = field(hash=False)
    course: str = field(default=None, repr=False, compare=False, hash=False)

    def to_dict(self):
        return {"lab": self.lab_id, "learner": self.learner, "params": self.params}


def make_variant(lab_id, learner, params_fn, course=None):
    """Build a learner's :class:`Variant` by calling ``params_fn(draw)``.

    >>> v = make_variant("lab00", "bob", lambda d: {"vlan": d.integer("vlan", 10, 20)}, "s")
    >>> v.params == make_variant("lab00", "bob", lambda d: {"vlan": d.integer("vlan", 10, 20)},
    ...                          "s").params
    True
    """
    learner = check_learner_id(learner)
    course = course_key(course)
    params = params_fn(Draw(lab_id, learner, course))
    canonical_json(params)  # fail early if a lab draws something JSON cannot hold
    return Variant(lab_id, learner, params, course)


def two_host_site(draw, sites):
    """The site the two-host network labs share: names, VLANs and management addresses.

    ``host_a`` / ``host_b`` are ``esx-<site>-<n>`` and ``-<n+1>``; management sits on
    ``192.168.<net>.<10+n>`` / ``<11+n>``; the management, VM and vMotion VLANs are drawn from
    disjoint ranges so that a wrong VLAN is always a different number.

    >>> p = two_host_site(Draw("lab00", "alice", "s"), ("oslo",))
    >>> p["host_a"].startswith("esx-oslo-"), p["mgmt_vlan"] < p["vm_vlan"] < p["vmotion_vlan"]
    (True, True)
    """
    site = draw.choice("site", sites)
    n = draw.integer("host_number", 1, 40)
    mgmt = draw.integer("mgmt_net", 10, 99)
    return {"site": site, "host_a": f"esx-{site}-{n:02d}", "host_b": f"esx-{site}-{n + 1:02d}",
            "mgmt_vlan": draw.integer("mgmt_vlan", 10, 99),
            "vm_vlan": draw.integer("vm_vlan", 100, 199),
            "vmotion_vlan": draw.integer("vmotion_vlan", 200, 3999),
            "mgmt_a": f"192.168.{mgmt}.{10 + n}", "mgmt_b": f"192.168.{mgmt}.{11 + n}"}
