"""Rule codes against the vSphere API's own fault types, with pyVmomi (VMware's Python SDK) as the
ground truth: a code the catalogue presents as a vSphere fault must be one, and a code that is one
must be presented as such. The simulator's own names must say why the API has none."""

import json
import os
import re
from pathlib import Path

import pytest
from pyVmomi import VmomiSupport

from vmotion_core.compat import RULES

ROOT = Path(__file__).resolve().parents[2]
PREFIXES = ("vim.fault.", "vmodl.fault.")
SKIP = {"_build", "_vendor", "node_modules", ".ipynb_checkpoints"}  # generated or third-party

#: Codes the catalogue used before it was checked against the API (issue 16); none of them is a
#: vSphere fault type, and each rule now uses the real one.
RETIRED = {
    "EVCModeNotSupportedByHost": "EVCAdmissionFailed",
    "PerVmEvcNotSupported": "FeatureRequirementsNotMet",
    "HostIncompatibleWithVirtualMachine": "DrsVmotionIncompatibleFault",
    "VdsToVssMoveNotSupported": "CannotUseNetwork",
    "Hardware3DNotAvailable": "InsufficientGraphicsResourcesFault",
    "EncryptedVMotionNotSupported": "MigrationFeatureNotSupported",
    "VFlashNotAvailable": "InsufficientVFlashResourcesFault",
    "NonPersistentDiskNotSupported": "NonPersistentDisksNotSupported",
    "DatastoreNotAccessibleOnHost": "InaccessibleDatastore",
    "InsufficientDatastoreSpace": "NoDiskSpace",
    "DatastoreInMaintenanceMode": "InvalidDatastoreState",
    "CompatibilityCheckTimeout": "Timedout",
    "HostVersionUnsupported": "MigrationFeatureNotSupported",
}


@pytest.fixture(scope="module")
def api_faults():
    """Short name -> full name of every fault type pyVmomi knows (vim.fault.X, vmodl.fault.X)."""
    names = [n for n in VmomiSupport.ListDataTypes() if n.startswith(PREFIXES)]
    return {n.split(".fault.", 1)[1]: n for n in names}


def test_the_registry_is_the_real_one(api_faults):
    # guards the other tests against an empty or wrong registry
    assert len(api_faults) > 600
    for name in ("VMotionNotConfigured", "MigrationFault", "CannotAccessNetwork", "Timedout"):
        assert name in api_faults
    assert issubclass(VmomiSupport.GetVmodlType("vim.fault.VMotionNotConfigured"),
                      VmomiSupport.GetVmodlType("vim.fault.MigrationFault"))


def test_every_code_presented_as_a_vsphere_fault_is_one(api_faults):
    wrong = {r.rule_id: r.code for r in RULES.values()
             if r.fault_documented and r.code not in api_faults}
    assert not wrong, f"not vSphere API fault types: {wrong}"
    # the rule catalogue page writes them as vim.fault.<code>
    assert all(api_faults[r.code] == f"vim.fault.{r.code}"
               for r in RULES.values() if r.fault_documented)


def test_every_code_that_is_a_vsphere_fault_is_presented_as_one(api_faults):
    hidden = {r.rule_id: r.code for r in RULES.values()
              if not r.fault_documented and r.code in api_faults}
    assert not hidden, f"real vSphere faults marked as the simulator's names: {hidden}"


def test_api_fault_rules_cite_the_fault():
    missing = [r.rule_id for r in RULES.values()
               if r.fault_documented and f"vSphere API {r.code}" not in r.source]
    assert not missing


def test_simulator_names_say_why_the_api_has_none():
    for r in RULES.values():
        if r.fault_documented:
            continue
        why = r.source.partition("no vSphere API fault:")[2].strip()
        assert len(why) > 15, f"{r.rule_id}: source must say why no API fault fits"


def test_retired_names_are_not_faults_and_their_replacements_are(api_faults):
    assert not set(RETIRED) & set(api_faults)
    assert set(RETIRED.values()) <= set(api_faults)
    used = {r.code for r in RULES.values()}
    assert not set(RETIRED) & used
    assert set(RETIRED.values()) <= used


def _learner_text():
    """Source text of the course, labs and book (notebook cells and their saved outputs)."""
    for folder in ("course", "labs", "book"):
        for top, dirs, files in os.walk(ROOT / folder):
            dirs[:] = sorted(d for d in dirs if d not in SKIP)
            for name in sorted(files):
                path = Path(top) / name
                if path.suffix in (".md", ".py", ".yaml", ".yml"):
                    yield path, path.read_text(encoding="utf-8")
                elif path.suffix == ".ipynb":
                    yield path, json.dumps(json.loads(path.read_text(encoding="utf-8")))


def test_course_labs_and_book_use_the_corrected_names():
    pattern = re.compile(r"\b(" + "|".join(RETIRED) + r")\b")
    stale = {str(p.relative_to(ROOT)): sorted(set(pattern.findall(t)))
             for p, t in _learner_text() if pattern.search(t)}
    assert not stale, f"old fault names still in {stale}"
