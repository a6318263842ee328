"""What a stun above the switchover goal means for the people using the VM.

One sentence, used by every summary that reports a stun (:class:`~.result.PrecopyResult` and
:class:`vmotion_core.migration.MigrationResult`), so that a run which switched over with, say, an
82 s stun never reads as a plain success.

Facts (vmotion-facts.md §4.2 and the sources it cites): pre-copy stops when the rest can be sent
within the 500 ms switchover goal (KB 436882 [S41]); VMware's goal for the whole suspend ->
resume is below 1 s [S61]; "stun time is the time when the virtual machine is inaccessible to
users during vMotion" (vSphere 8.0 VM Administration, vGPU stun time limit [S67]); a long stun
makes the guest "appear to hang" (KB 432796 [S42e]); vSphere fails the switchover only beyond
``maxSwitchoverSeconds`` (100 s, KB 2141355 [S42]), so a run under that limit reports success.
That connections or heartbeats with a shorter timeout may drop is the simulator's inference, not
a VMware statement.
"""

from __future__ import annotations

from ..units import format_duration

__all__ = ["stun_note", "TEXT", "WHOLE_STUN_GOAL_MS"]

#: VMware's goal for the whole stun (suspend -> resume), below 1 second [S61].
WHOLE_STUN_GOAL_MS = 1000.0

#: Learner-visible sentences of this module.
TEXT = {
    "over": "Switchover goal missed: the VM was stunned for {stun}, above the {goal} switchover "
            "goal ({source}). During a stun the guest does not run and the VM is inaccessible "
            "to its users (vSphere 8.0 VM Administration).",
    "hang": "For {stun} its users would see it hang (KB 432796): no answer to requests or "
            "pings, and connections or cluster heartbeats with a shorter timeout may drop "
            "(the simulator's inference).",
    "still_ok": "The task still reports success: vSphere fails a switchover only beyond {limit} "
                "({limit_source}).",
}


def stun_note(stun_ms, goal_ms, limit_s=100.0, source="KB 436882",
              limit_source="vmotion.maxSwitchoverSeconds, KB 2141355"):
    """What a stun of ``stun_ms`` above ``goal_ms`` means for the VM's users ("" when within).

    >>> stun_note(400, 500)
    ''
    >>> stun_note(82_000, 500).split(":")[0]
    'Switchover goal missed'
    """
    if stun_ms <= goal_ms:
        return ""
    stun = format_duration(stun_ms / 1000)
    parts = [TEXT["over"].format(stun=stun, goal=format_duration(goal_ms / 1000), source=source)]
    if stun_ms >= WHOLE_STUN_GOAL_MS:
        parts.append(TEXT["hang"].format(stun=stun))
    parts.append(TEXT["still_ok"].format(limit=f"{limit_s:g} s", limit_source=limit_source))
    return " ".join(parts)
