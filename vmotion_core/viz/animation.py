"""Step-through animation of pre-copy rounds, exported as JS-HTML (plays without a kernel).

Each frame reveals one more round of the rounds chart and says in words what happened in it; the
last frame shows the switch-over (or the failure). The HTML embeds PNG frames and matplotlib's
small player, so it works on the static book site and offline.
"""

from __future__ import annotations

import re
import textwrap
from html import escape

from matplotlib.animation import FuncAnimation

from ..units import format_duration, format_size
from ._style import new_figure, set_alt_text
from .rounds import describe_config, draw_rounds, rounds_alt_text, size_unit

__all__ = ["precopy_animation", "animation_frames"]


def animation_frames(result, max_frames: int = 40) -> list[tuple[int, str]]:
    """Return ``(rounds_shown, caption)`` per frame; long runs are sampled to ``max_frames``."""
    n = result.n_rounds
    shown = list(range(1, n + 1))
    if len(shown) > max_frames - 1:
        step = len(shown) / (max_frames - 1)
        shown = sorted({max(1, round((k + 1) * step)) for k in range(max_frames - 1)})
    page_b = result.config.page_bytes
    frames = []
    for k in shown:
        r = result.rounds[k - 1]
        what = "copies all memory" if r.index == 0 else "re-sends the pages dirtied before"
        thr = f"; guest slowed {r.throttle:.0%} by throttling" if r.throttle else ""
        frames.append((k, f"Round {r.index} {what}: {format_size(r.bytes_sent)} in "
                          f"{format_duration(r.duration_s)}; meanwhile the guest dirties "
                          f"{format_size(r.pages_dirtied * page_b)}{thr}."))
    end = (f"Switch-over: the VM is stunned for {result.downtime_ms:.0f} ms to send the last "
           f"{format_size(result.final_bytes)} (pages + checkpoint), then resumes."
           if result.ok else "Pre-copy gave up: the migration failed and the VM keeps running "
                             "on the source.")
    frames.append((n + 1, end))
    return frames


def precopy_animation(result, max_frames: int = 40, interval_ms: int = 1200,
                      dpi: int = 72) -> str:
    """Return a self-contained HTML player stepping through the rounds of ``result``.

    Examples
    --------
    >>> from vmotion_core.precopy import PrecopyConfig, Workload, simulate_precopy
    >>> res = simulate_precopy(PrecopyConfig(memory_gib=1, workload=Workload("uniform", 200)))
    >>> html = precopy_animation(res)
    >>> "<img" in html and "Round 0" in html
    True
    """
    fig = new_figure(8.5, 5.0, layout=None, dpi=dpi)
    fig.subplots_adjust(left=0.1, right=0.88, top=0.74, bottom=0.27)
    ax = fig.add_subplot()
    draw_rounds(ax, result)
    n = result.n_rounds
    sent, dirtied = ax.patches[:n], ax.patches[n:2 * n]
    stun = ax.patches[2 * n:]
    throttle_lines = [line for a in fig.axes[1:] for line in a.lines]
    full = [line.get_data() for line in throttle_lines]
    ax.set_title(f"Pre-copy, round by round ({result.policy} policy)\n"
                 f"{describe_config(result.config)}", loc="left", fontsize=10)
    caption = fig.text(0.01, 0.97, "", fontsize=9.5, va="top",
                       bbox={"boxstyle": "round,pad=0.4", "fc": "#F6F6F6", "ec": "#CCCCCC"})
    frames = animation_frames(result, max_frames)

    def update(frame):
        shown, text = frames[frame]
        for i in range(n):
            sent[i].set_visible(i < shown)
            dirtied[i].set_visible(i < shown)
        for patch in stun:
            patch.set_visible(shown > n)
        for line, (x, y) in zip(throttle_lines, full):
            line.set_data(x[:shown], y[:shown])
        caption.set_text(textwrap.fill(f"Step {frame + 1}/{len(frames)}: {text}", 115))
        return []

    anim = FuncAnimation(fig, update, frames=len(frames), interval=interval_ms, blit=False,
                         repeat=False)
    html = _offline(anim.to_jshtml(default_mode="once"))
    alt = set_alt_text(fig, "Animation, one frame per round. " + " ".join(
        t for _k, t in frames) + " " + rounds_alt_text(result, {
            "unit": size_unit(result.config.memory_bytes)[0],
            "threshold": None}))
    # the player's <img> gets the description too (JupyterLab would otherwise label it "Image")
    html = html.replace('<img id="_anim_img', f'<img alt="{escape(alt.alt)}" id="_anim_img', 1)
    return (f'<figure class="vmotion-animation" aria-label="{escape(alt.alt)}">{html}'
            f"<figcaption>{escape(frames[-1][1])}</figcaption></figure>")


# matplotlib's player loads Font Awesome from a CDN for its button icons; the book must work
# offline and make no external requests, so drop the stylesheet and use plain text glyphs (the
# buttons keep their aria-label and title).
_ICONS = (("fa fa-play fa-flip-horizontal", "\u25C0"), ("fa fa-fast-backward", "|\u25C0\u25C0"),
          ("fa fa-step-backward", "|\u25C0"), ("fa fa-pause", "||"),
          ("fa fa-play", "\u25B6"), ("fa fa-step-forward", "\u25B6|"),
          ("fa fa-fast-forward", "\u25B6\u25B6|"), ("fa fa-minus", "\u2212"), ("fa fa-plus", "+"))


def _offline(html: str) -> str:
    html = re.sub(r'<link rel="stylesheet"\s+href="https?://[^"]*font-awesome[^"]*">', "", html)
    for cls, glyph in _ICONS:
        html = html.replace(f'<i class="{cls}"></i>', f'<span aria-hidden="true">{glyph}</span>')
    return html
