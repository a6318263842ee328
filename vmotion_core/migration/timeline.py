"""The phases of a migration and their log lines. The timeline only *writes*:
:func:`~vmotion_core.migration.execute` decides what happens and calls the matching step here.

Phase order follows the fact sheet §4: compatibility check, preparation (shadow VM on the
destination, config file read-only with a 90 s protection timer), disk copy (storage moves),
memory pre-copy, switchover (stun), resume on the destination, RARP by the destination host,
cleanup on the source. Cold and suspended moves copy files over NFC, register the VM on the
destination and delete the source copy (§1.4).

A run that passed vCenter's pre-check can still stop later (e.g. N1 at about 10%):
:meth:`Timeline.stall` holds the task there until it times out; the VM stays on the source.

The fixed durations below (check, preparation, register, cleanup, RARP, and how long a stalled
task waits before it times out) are teaching assumptions, not VMware figures; what varies with
the environment is the disk copy, the pre-copy and the stun.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..compat.netpath import provisioning_vmknics, vmotion_vmknics
from ..compat.network import vm_nic_mac
from ..units import MiB

__all__ = ["Phase", "CHECK_S", "PREPARE_S", "REGISTER_S", "CLEANUP_S", "RARP_S", "STALL_S",
           "Timeline"]

CHECK_S = 1.0
PREPARE_S = 0.5
REGISTER_S = 1.0
CLEANUP_S = 0.2
RARP_S = 0.05
STALL_S = 60.0  # a stalled transfer waits this long before the task times out (assumption)


@dataclass(frozen=True)
class Phase:
    """One step of the timeline (seconds since the migration task started)."""

    name: str
    start_s: float
    duration_s: float
    detail: str = ""

    @property
    def end_s(self):
        return self.start_s + self.duration_s

    def to_dict(self):
        return {"name": self.name, "start_s": float(self.start_s),
                "duration_s": float(self.duration_s), "end_s": float(self.end_s),
                "detail": self.detail}


class Timeline:
    """Appends phases back to back and writes their log lines."""

    def __init__(self, log, plan, env):
        self.log, self.plan, self.env = log, plan, env
        self.t = 0.0
        self.phases = []
        self.src, self.dst = plan.source_host, plan.target_host
        self.vc = plan.source_vcenter

    def phase(self, name, duration_s, detail=""):
        p = Phase(name, self.t, float(duration_s), detail)
        self.phases.append(p)
        self.t += duration_s
        return p

    def host_ip(self, host, vmknics=vmotion_vmknics):
        """The IP of ``host``'s first vMotion (or other ``vmknics``) vmknic, else its management
        IP."""
        vmks = vmknics(self.env, host)
        return vmks[0].ip if vmks else (self.env.host(host).management_ip or "unknown")

    # --- common steps -------------------------------------------------------------------------
    def checks(self, findings, ok):
        """vCenter's pre-check: only findings vCenter itself reports reach vpxd.log
        (simulator-only ones surface later, or in a ``simulator note``)."""
        p = self.plan
        self.log.vpxd(0.0, self.vc, f"Task Relocate virtual machine '{p.vm}' started "
                                    f"({p.label}: {p.source_host} -> {p.target_host}, "
                                    f"'{p.wizard_choice}')")
        self.phase("compatibility check", CHECK_S, f"{len(findings)} finding(s)")
        seen = [f for f in findings if f.vcenter_checks]
        for f in seen:
            self.log.vpxd(self.t, self.vc, f"{f.severity}: {f.code}: {f.message}")
        if ok:
            self.log.vpxd(self.t, self.vc, "Compatibility checks succeeded."
                          if not seen else "Compatibility checks passed with warnings.")

    def prepare(self, priority):
        p = self.plan
        if not p.vmotion:
            self.phase("preparation", PREPARE_S, "destination files and locks prepared")
            return
        start = self.phase("preparation", PREPARE_S, "shadow VM on the destination; config file "
                           "read-only (90 s protection timer)").start_s
        self.log.vmware(start, self.src, f"Migrate: Preparing to migrate to "
                        f"<{self.host_ip(self.dst)}> with migration id {self.log.mid} "
                        f"(priority={priority})")
        self.log.vmware(start + 0.05, self.dst, f"Migrate_Open: Restoring from "
                        f"<{self.host_ip(self.src)}> with migration id {self.log.mid}")
        if p.drs_pick:
            self.log.vpxd(start, self.vc, p.drs_pick)

    def disk_copy(self, copy):
        start = self.phase("disk copy", copy.duration_s, copy.path).start_s
        module = "SVMotion: 2512" if copy.mirror or self.plan.live else "Nfc: 1250"
        for what, s, d, nbytes in copy.items:
            src_ds, dst_ds = next((m[1], m[2]) for m in self.plan.file_moves if m[0] == what)
            self.log.vmkernel(start + s, self.src, module,
                              f"S: copying {what} [{src_ds}] -> [{dst_ds}], "
                              f"{nbytes / MiB:,.0f} MiB ({copy.path})")
        self.log.vmkernel(self.t, self.src, module,
                          f"S: disk copy done: {copy.bytes_copied / MiB:,.0f} MiB copied, "
                          f"{copy.mirrored_bytes / MiB:,.0f} MiB of guest writes mirrored, "
                          f"{copy.duration_s:.1f} s")

    def precopy(self, res):
        """The pre-copy phase and one vmkernel.log line per round."""
        start = self.phase("pre-copy", res.precopy_s,
                           f"{res.n_rounds} round(s); {res.stop_reason}").start_s
        for r in res.rounds:
            mbps = r.bytes_sent / max(r.duration_s, 1e-9) / 1e6
            self.log.vmkernel(start + r.end_s, self.src, "VMotion: 4650",
                              f"S: Pre-copy iteration {r.index}: sent {r.pages_sent} pages in "
                              f"{r.duration_s:.3f} s, {r.pages_dirtied} pages dirtied "
                              f"(network bandwidth ~{mbps:.3f} MB/s, throttle {r.throttle:.0%})")

    def stop_precopy(self, res, goal_ms):
        """The stop line in KB 436882 form (converged) or the simulator's non-convergence line."""
        bw = res.effective_bps / 1e6
        last = res.rounds[-1] if res.rounds else None
        dirty_bps = (last.pages_dirtied * res.config.page_bytes / max(last.duration_s, 1e-9)
                     if last else 0.0)
        t2d = res.effective_bps / max(dirty_bps, 1.0) * 100
        left = res.final_pages
        text = (f"S: Stopping pre-copy: only {left} pages left to send, which can be sent within "
                f"the switchover time goal of {goal_ms / 1000:.3f} seconds (network bandwidth "
                f"~{bw:.3f} MB/s, {t2d:.0f}% t2d)" if res.converged else
                f"S: Stopping pre-copy without convergence: {res.stop_reason} {left} pages left "
                f"to send (network bandwidth ~{bw:.3f} MB/s)")
        self.log.vmkernel(self.t, self.src, "VMotion: 4650", text)

    def switchover(self, res):
        resume_s = res.config.resume_ms / 1000
        stun = self.phase("switchover (stun)", max(res.downtime_ms / 1000 - resume_s, 0.0),
                          f"last {res.final_pages} pages + checkpoint; stun "
                          f"{res.downtime_ms:.0f} ms")
        self.log.vmware(stun.start_s, self.src, "Migrate: VM successfully stunned.")
        self.log.vmkernel(self.t, self.src, "VMotionSend: 4156",
                          f"S: Sent all modified pages to destination (network bandwidth "
                          f"~{res.effective_bps / 1e6:.3f} MB/s)")
        self.log.vmware(self.t, self.dst, "Beginning checkpoint restore", thread="vcpu-0")
        self.phase("resume", resume_s, "VM resumes on the destination")
        self.log.vmware(self.t - resume_s / 2, self.dst, "Switching to checkpoint state",
                        thread="vcpu-0")
        self.unstun(self.dst, res.downtime_ms)
        self.rarp()

    def rarp(self):
        """The destination announces each NIC's MAC on its port group (if it notifies
        switches)."""
        self.phase("RARP", RARP_S, "destination host announces the VM's MAC addresses")
        for nic, _src, pg in self.plan.nic_map:
            mac, found = vm_nic_mac(self.plan.vm, nic), self.env.port_group(self.dst, pg)
            text = (f"D: sent RARP (ethertype 0x8035) for {mac} on port group '{pg}'"
                    if found and found[1].notify_switches
                    else f"D: Notify switches is off on '{pg}': no RARP for {mac}")
            self.log.vmkernel(self.t, self.dst, "Net: 1843", text)

    def failed(self, message):
        """The task failed with ``message`` (vCenter's pre-check refused it, or the run
        failed)."""
        self.log.vpxd(self.t, self.vc, f"Task Relocate virtual machine '{self.plan.vm}' failed: "
                                       f"{message}")

    def note(self, text):
        """A ``simulator note`` at the current time."""
        self.log.note(self.t, text)

    def fail_precopy(self, res, message):
        self.log.vmkernel(self.t, self.src, "VMotion: 4650",
                          f"S: Migration failed: {res.stop_reason}")
        self.log.vmware(self.t, self.src, f"Migrate: {message}")
        self.failed(message)

    def stall(self, failure):
        """Hold the task in ``failure.phase`` at its percent (None: no figure) until it times
        out after :data:`STALL_S`, then fail it with the rule's run-time error
        (a :class:`~.result.LateFailure`)."""
        p, lf = self.plan, failure
        start, stage, percent, text = self.t, lf.stage_label, lf.percent, lf.message
        dst_ip = self.host_ip(self.dst, provisioning_vmknics if lf.stage == "nfc-copy"
                              else vmotion_vmknics)
        at = f" at {percent}%" if percent is not None else ""
        self.phase(lf.phase, STALL_S, f"stalled{at} ({stage}, {lf.rule_id}); timed out after "
                                      f"{STALL_S:g} s")
        if percent is not None:
            self.log.vpxd(start, self.vc, f"Task Relocate virtual machine '{p.vm}': {percent}% "
                                          f"({stage})")
        if lf.phase == "disk copy" and not p.live:
            self.log.vmkernel(start, self.src, "Nfc: 1250",
                              f"S: connecting to {self.dst} <{dst_ip}> for the file copy")
            self.log.vmkernel(self.t, self.src, "Nfc: 1250",
                              f"S: copy to {self.dst} failed: {text}")
        else:
            self.log.vmkernel(start, self.src, "VMotion: 4650", f"S: opening the migration "
                                                                f"stream to <{dst_ip}>")
            self.log.vmkernel(self.t, self.src, "VMotion: 4650", f"S: Migration failed after "
                                                                 f"{STALL_S:g} s: {text}")
            self.log.vmware(self.t, self.src, f"Migrate: {text}")
        self.log.vpxd(self.t, self.vc, f"Task Relocate virtual machine '{p.vm}' failed{at} "
                                       f"({stage}): {text} [{lf.source}]")
        where = "keeps running on" if p.live else "stays registered on"
        self.log.vpxd(self.t, self.vc, f"Virtual machine '{p.vm}' {where} {self.src}")

    def fsr(self, stun_ms):
        stun = self.phase("switchover (stun)", stun_ms / 1000,
                          "Fast Suspend and Resume to a ghost VM on the same host")
        self.log.vmware(stun.start_s, self.src, "Migrate: VM successfully stunned.")
        self.unstun(self.src, stun_ms)

    def unstun(self, host, stun_ms):
        self.log.vmware(self.t, host, f"Checkpoint_Unstun: vm stopped for "
                                      f"{int(round(stun_ms * 1000))} us", thread="vcpu-0")

    def register(self):
        self.phase("register on destination", REGISTER_S, f"VM registered on {self.dst}")
        self.log.vpxd(self.t, self.vc, f"Registered virtual machine '{self.plan.vm}' on {self.dst}")

    def cleanup(self, detail):
        self.phase("cleanup", CLEANUP_S, detail)
        self.log.vpxd(self.t, self.vc, f"Task Relocate virtual machine '{self.plan.vm}' completed")
