"""Product facts the inventory is built on: CPU generations, EVC baselines, license editions.

These are *model data* about vSphere and the hardware it runs on, not compatibility rules: the
rule catalogue (each rule's fault, wording, fix and source) is ``vmotion_core.compat.RULES``.
This module was called ``catalog`` before; "catalogue" now means only the rule catalogue.

Simplifications, stated plainly:

- CPU generations are a short, ordered list per vendor with a cumulative feature set. Real CPUs
  expose hundreds of CPUID bits; the simulator keeps a dozen well-known ones so that "the
  destination lacks a feature the VM uses" (vmotion-facts.md §2.1 H6, KB 1003718) can be taught.
  The generation keys double as EVC baseline names (one baseline per generation).
- ``nx`` (NX/XD) and ``vt`` (VT-x/AMD-V) are BIOS switches on the host, not generation features
  (H7: a BIOS update can reset them).
- License editions follow the 6.7-era packaging, a *secondary* source (fact sheet §2.6, [S70]);
  post-2024 Broadcom packaging is not modelled.

>>> generation_features("intel", "intel-haswell") >= {"avx2", "sse4.2"}
True
>>> version_tuple("7.0 U1c") < version_tuple("7.0 U2")
True
"""

import re
from itertools import accumulate

__all__ = [
    "CPU_GENERATIONS", "EVC_MODES", "LICENSE_EDITIONS", "EDITION_FEATURES", "LICENSE_FEATURES",
    "generation_features", "evc_features", "evc_vendor", "can_run_evc", "version_tuple", "VERSION_PATTERN",
]

# Ordered oldest -> newest; each adds features to its predecessor.
_INTEL = (
    ("intel-merom", ("sse3", "ssse3", "lm", "cx16")),
    ("intel-penryn", ("sse4.1",)),
    ("intel-nehalem", ("sse4.2", "popcnt")),
    ("intel-westmere", ("aes", "pclmulqdq")),
    ("intel-sandybridge", ("avx", "xsave")),
    ("intel-ivybridge", ("f16c", "rdrand")),
    ("intel-haswell", ("avx2", "fma", "bmi1", "bmi2")),
    ("intel-broadwell", ("adx", "rdseed")),
    ("intel-skylake", ("xsaves", "clflushopt")),
    ("intel-cascadelake", ("avx512f", "avx512vnni")),
    ("intel-icelake", ("avx512vbmi", "sha", "vaes")),
    ("intel-sapphirerapids", ("amx", "avx512fp16")),
)
_AMD = (
    ("amd-rev-e", ("sse3", "lm", "cx16")),
    ("amd-greyhound", ("popcnt", "sse4a")),
    ("amd-bulldozer", ("ssse3", "sse4.1", "sse4.2", "aes", "pclmulqdq", "avx", "xsave", "fma4")),
    ("amd-piledriver", ("f16c", "fma", "bmi1")),
    ("amd-zen", ("avx2", "bmi2", "adx", "rdseed", "rdrand", "sha", "clflushopt", "xsaves")),
    ("amd-zen2", ("clwb", "rdpid")),
    ("amd-zen3", ("vaes", "vpclmulqdq", "pku")),
    ("amd-zen4", ("avx512f", "avx512vnni", "avx512vbmi", "avx512fp16")),
)


def _cumulative(table):
    names, added = zip(*table)
    return dict(zip(names, accumulate(map(frozenset, added), frozenset.union)))


#: vendor -> {generation key -> frozenset of features}, ordered oldest first.
CPU_GENERATIONS = {"intel": _cumulative(_INTEL), "amd": _cumulative(_AMD)}
#: Every EVC baseline the simulator knows (one per generation), oldest first per vendor.
EVC_MODES = tuple(CPU_GENERATIONS["intel"]) + tuple(CPU_GENERATIONS["amd"])

LICENSE_EDITIONS = ("essentials", "essentials-plus", "standard", "enterprise-plus")
#: Features a license can carry (names used by the checks).
LICENSE_FEATURES = ("vmotion", "storage-vmotion", "cross-switch-vmotion", "ha", "ft", "drs", "vds",
                    "sdrs", "sr-iov", "cross-vcenter-vmotion", "long-distance-vmotion")
_ESSENTIALS_PLUS = ("vmotion", "cross-switch-vmotion", "ha")
_STANDARD = _ESSENTIALS_PLUS + ("storage-vmotion", "ft")
#: Edition -> default feature set (fact sheet §2.6, 6.7-era packaging, secondary source [S70]).
EDITION_FEATURES = {
    "essentials": frozenset(),
    "essentials-plus": frozenset(_ESSENTIALS_PLUS),
    "standard": frozenset(_STANDARD),
    "enterprise-plus": frozenset(_STANDARD + ("drs", "vds", "sdrs", "sr-iov",
                                              "cross-vcenter-vmotion", "long-distance-vmotion")),
}

#: vSphere release as written in release notes, e.g. "8.0", "8.0 U2", "7.0 U1c", "6.7".
VERSION_PATTERN = re.compile(r"^(\d+)\.(\d+)(?: U(\d+)([a-z]?))?$")


def generation_features(vendor, generation):
    """Return the frozenset of CPU features of ``generation`` (an EVC key such as ``intel-skylake``).

    >>> sorted(generation_features("amd", "amd-rev-e"))
    ['cx16', 'lm', 'sse3']
    """
    return CPU_GENERATIONS[vendor][generation]


def evc_features(vendor, mode):
    """Return the features an EVC baseline lets through: the generation's, plus the BIOS flags
    ``nx`` and ``vt`` (EVC masks CPUID feature bits, not those switches).

    >>> {"nx", "vt"} <= evc_features("intel", "intel-merom")
    True
    """
    return generation_features(vendor, mode) | {"nx", "vt"}


def evc_vendor(mode):
    """Return ``"intel"`` or ``"amd"`` for an EVC baseline key.

    >>> evc_vendor("amd-zen2")
    'amd'
    """
    return mode.split("-", 1)[0]


def can_run_evc(vendor, generation, mode):
    """Whether a ``vendor`` CPU of ``generation`` can run EVC baseline ``mode`` (same vendor, a
    generation at or above the baseline).

    >>> can_run_evc("intel", "intel-skylake", "intel-haswell"), can_run_evc("intel", "intel-haswell", "amd-zen")
    (True, False)
    """
    if evc_vendor(mode) != vendor:
        return False
    gens = list(CPU_GENERATIONS[vendor])
    return gens.index(generation) >= gens.index(mode)


def version_tuple(text):
    """Turn ``"7.0 U1c"`` into a comparable tuple ``(7, 0, 1, 'c')``.

    Raises ``ValueError`` for text that is not a vSphere release.

    >>> version_tuple("8.0")
    (8, 0, 0, '')
    """
    m = VERSION_PATTERN.match(str(text))
    if not m:
        raise ValueError(f"{text!r} is not a vSphere version (examples: '8.0', '8.0 U2', '7.0 U1c')")
    return int(m.group(1)), int(m.group(2)), int(m.group(3) or 0), m.group(4) or ""
