"""Every term and acronym the course uses is in the glossary (``course/glossary.md``).

What counts as a use:

- an **acronym**: a word of two or more capitals (digits allowed, a plural "s" dropped: ``VMs``
  -> ``VM``) in the prose of the course, i.e. the markdown cells of ``course/*.ipynb`` and the
  course's ``*.md`` pages, outside code spans, code blocks and link targets;
- a **term** on :data:`TERMS`: words the course uses in prose, figures or simulator output that
  newcomers tripped over (issue 18), checked to occur in the course or in the simulator's output.

A term is *in the glossary* when it appears as a whole word in the English column of a row.
:data:`ALLOWED` lists the acronyms that are not course vocabulary, each with its reason.
"""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "course"
GLOSSARY = COURSE / "glossary.md"
ACRONYM = re.compile(r"(?<![\w/.-])([A-Z][A-Z0-9]*[A-Z][A-Z0-9]*)(?:s)?(?![\w/-])")

#: terms that are not acronyms (or hide in code output) and must be in the glossary
TERMS = ("TLB", "NFC", "SSO", "Enhanced Linked Mode", "UDT", "t2d", "goodput", "NIOC", "FSR",
         "switchover", "stun", "dirty page", "Stun During Page Send")

#: acronyms that are not course vocabulary, with the reason
ALLOWED = {
    "OS": "ordinary English; the glossary has 'guest operating system'",
    "CD": "part of 'CD/DVD drive', the device name the vSphere Client shows",
    "PDF": "file format of a cited document",
    "HTML": "file format of a page",
    "AMD": "CPU vendor name",
    "AES": "CPU instruction-set name, given as an example of a CPU feature",
    "SSE3": "CPU instruction-set name, given as an example of a CPU feature",
    "SSSE3": "CPU instruction-set name, given as an example of a CPU feature",
    "SSE4": "CPU instruction-set name, given as an example of a CPU feature",
    "USENIX": "publisher of a cited paper",
    "NSDI": "conference of a cited paper",
    "ATC": "conference of a cited paper (USENIX ATC)",
    "MASCOTS": "conference of a cited paper",
    "HPDC": "conference of a cited paper",
    "VI": "part of the name of a cited reference (VI SDK Reference Guide)",
    "SDK": "part of the name of a cited reference (VI SDK Reference Guide)",
    "A4": "paper size",
    "VC1": "a rule id of the simulator's catalogue (the rules page lists them)",
    "VC2": "a rule id of the simulator's catalogue (the rules page lists them)",
    "VC6": "a rule id of the simulator's catalogue (the rules page lists them)",
    "VT": "CPU feature name (Intel VT), given with the BIOS settings that must match",
    "HTML5": "web technology in a product name (the vSphere Client is HTML5)",
}


def _prose(text):
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`\n]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)|https?://\S+", " ", text)
    return text


def course_prose():
    """``{page: prose}`` for every course notebook (markdown cells) and page (not the glossary)."""
    pages = {}
    for nb_path in sorted(COURSE.glob("*.ipynb")):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        pages[nb_path.name] = "\n".join(
            "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "markdown")
    for md in sorted(COURSE.glob("*.md")):
        if md != GLOSSARY:
            pages[md.name] = md.read_text(encoding="utf-8")
    return {k: _prose(v) for k, v in pages.items()}


def acronyms(text):
    """The acronyms in ``text`` (see the module docstring).

    >>> sorted(acronyms("Two VMs on NFS; the TLB, not vmk1 or GbE or A/B"))
    ['NFS', 'TLB', 'VM']
    """
    return {m.group(1) for m in ACRONYM.finditer(text)}


def glossary_terms():
    """The English column of every glossary row, as one text."""
    rows = [line for line in GLOSSARY.read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and not line.startswith("| English")]
    return "\n".join(row.split("|")[1] for row in rows)


def in_glossary(term, english):
    return re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", english, re.I) is not None


def test_acronym_detection():
    assert acronyms("the VMs' NIOC shares; `vmkping -I vmk1`; [KB](http://x/ABC)") == {"VM", "NIOC",
                                                                                          "KB"}
    assert not in_glossary("SAN", "vSAN") and in_glossary("NFC", "NFC (Network File Copy)")


def test_every_acronym_the_course_uses_is_in_the_glossary():
    english = glossary_terms()
    missing = {}
    for page, text in course_prose().items():
        for a in acronyms(_prose(text)):
            if a not in ALLOWED and not in_glossary(a, english):
                missing.setdefault(a, []).append(page)
    assert not missing, f"acronyms not in course/glossary.md (add a row or allow-list): {missing}"


def test_named_terms_are_used_and_in_the_glossary():
    english = glossary_terms()
    everything = "\n".join(p.read_text(encoding="utf-8") for p in COURSE.glob("*.ipynb"))
    everything += "\n".join(course_prose().values())
    everything += "\n".join(p.read_text(encoding="utf-8")
                            for p in (ROOT / "vmotion_core").rglob("*.py"))
    assert not [t for t in TERMS if t.lower() not in everything.lower()], "a term is unused"
    assert not [t for t in TERMS if not in_glossary(t, english)]


def test_allow_list_has_reasons_and_no_glossary_terms():
    english = glossary_terms()
    assert all(reason.strip() for reason in ALLOWED.values())
    assert not [a for a in ALLOWED if in_glossary(a, english)]
