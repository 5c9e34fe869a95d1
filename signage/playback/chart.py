"""The proof-of-play chart a tenant reads: plays per day, actual bars against the planned line."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from signage.media.fontfile import korean_font_file
from signage.playback.report import Row

DISPLAY_COLOURS = ("#1f6f8b", "#f2a541", "#6a994e", "#bc4749", "#7b2cbf")


def draw(rows: list[Row], first: dt.date, last: dt.date, title: str, out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    font = korean_font_file()
    if font:
        font_manager.fontManager.addfont(str(font))
        plt.rcParams["font.family"] = font_manager.FontProperties(fname=str(font)).get_name()
    plt.rcParams["axes.unicode_minus"] = False

    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    index = {d.isoformat(): i for i, d in enumerate(days)}
    displays = sorted({r.display for r in rows})
    actual: dict[str, list[int]] = {d: [0] * len(days) for d in displays}
    planned = [0] * len(days)
    airtime = 0.0
    for r in rows:
        i = index.get(r.date)
        if i is None:
            continue
        actual[r.display][i] += r.plays
        planned[i] += r.planned_plays
        airtime += r.airtime_s

    fig, ax = plt.subplots(figsize=(max(8, len(days) * 0.35 + 3), 5), dpi=110)
    bottom = [0] * len(days)
    x = list(range(len(days)))
    for n, display in enumerate(displays):
        ax.bar(x, actual[display], bottom=bottom, color=DISPLAY_COLOURS[n % len(DISPLAY_COLOURS)],
               label=f"{display} 실제 송출 / aired", width=0.75)
        bottom = [b + v for b, v in zip(bottom, actual[display], strict=True)]
    ax.step([i - 0.5 for i in x] + [len(days) - 0.5], planned + planned[-1:], where="post", color="#333333",
            linestyle="--", linewidth=1.2, label="계획 / planned")
    ax.set_xticks(x)
    ax.set_xticklabels([d.strftime("%m-%d") for d in days], rotation=60, fontsize=8)
    ax.set_ylabel("송출 횟수 / plays per day")
    total_plays = sum(bottom)
    total_planned = sum(planned)
    ax.set_title(f"{title}\n{first} ~ {last} · 송출 {total_plays}회 (계획 {total_planned}회) · "
                 f"{airtime / 60:.1f}분 / {total_plays} plays of {total_planned} planned, {airtime / 60:.1f} min",
                 fontsize=11)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=len(displays) + 1, fontsize=8, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    return out


def by_tenant(rows: list[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        out[r.tenant].append(r)
    return dict(out)
