"""Campaigns and the hour plan: when, within each clock hour, each approved promo should air.

Pure functions of (campaigns, display, hour): no clock, no files.

Fairness when an hour is oversubscribed (more promo seconds asked for than ``max_share`` of
the hour): plays are granted one at a time, round-robin over *tenants* (not campaigns, so a
tenant with three clips does not get three times the airtime), each tenant's turn going to its
campaign with the fewest plays granted so far. The round starts at a different tenant each hour,
so the tenant who misses out on the last partial round changes from hour to hour and evens out
over a day. A clip too long for what is left of the hour is passed over for shorter ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Campaign:
    id: int
    submission_id: int
    tenant: str
    title: str
    displays: tuple[str, ...]
    first_day: dt.date
    last_day: dt.date
    per_hour: int
    created: dt.datetime
    withdrawn: dt.datetime | None
    kind: str  # video or image
    duration_s: float
    media: dict[str, str] = field(default_factory=dict, hash=False, compare=False)  # display → asset path

    @property
    def begins(self) -> dt.datetime:
        """A campaign airs from the first full hour after it was approved: the hour in progress
        is never replanned, so approving a clip does not make the walls jump."""
        top = self.created.replace(minute=0, second=0, microsecond=0)
        return top if top == self.created else top + HOUR

    def runs_in(self, display: str, hour_start: dt.datetime) -> bool:
        return (display in self.displays and self.first_day <= hour_start.date() <= self.last_day
                and hour_start >= self.begins
                and (self.withdrawn is None or self.withdrawn > hour_start))


@dataclass(frozen=True)
class CampaignBook:
    campaigns: tuple[Campaign, ...] = ()
    version: int = 0

    def __bool__(self) -> bool:
        return bool(self.campaigns)

    def on(self, display: str) -> bool:
        return any(display in c.displays for c in self.campaigns)

    def by_id(self, cid: int) -> Campaign | None:
        return next((c for c in self.campaigns if c.id == cid), None)


@dataclass(frozen=True)
class Planned:
    at: dt.datetime
    campaign: Campaign
    length: float


def hour_start(when: dt.datetime) -> dt.datetime:
    return when.replace(minute=0, second=0, microsecond=0)


def grant(live: list[tuple[Campaign, float]], capacity_s: float, rotation: int) -> dict[int, int]:
    """Plays granted per campaign id in one hour (see the module docstring for the rule)."""
    tenants = sorted({c.tenant for c, _ in live})
    if not tenants:
        return {}
    r = rotation % len(tenants)
    order = tenants[r:] + tenants[:r]
    granted = {c.id: 0 for c, _ in live}
    used = 0.0
    progress = True
    while progress:
        progress = False
        for tenant in order:
            wanting = [(c, n) for c, n in live if c.tenant == tenant and granted[c.id] < c.per_hour
                       and used + n <= capacity_s + 1e-6]
            if not wanting:
                continue
            c, n = min(wanting, key=lambda cn: (granted[cn[0].id], cn[0].id))
            granted[c.id] += 1
            used += n
            progress = True
    return granted


def hour_plan(book: CampaignBook, display: str, start: dt.datetime, length_of: Callable[[Campaign], float | None],
              max_share: float) -> list[Planned]:
    """The promo plays planned in the hour beginning at ``start`` on ``display``, in time order.

    Each campaign's plays are spread evenly through the hour (every 3600/n seconds), and the
    campaigns are offset from each other so that they interleave rather than bunch up."""
    live: list[tuple[Campaign, float]] = []
    for c in book.campaigns:
        if c.runs_in(display, start):
            length = length_of(c)
            if length:
                live.append((c, length))
    granted = grant(live, max_share * 3600, int(start.timestamp() // 3600))
    active = [(c, n) for c, n in live if granted.get(c.id)]
    plan: list[Planned] = []
    for rank, (c, length) in enumerate(active):
        k = granted[c.id]
        phase = (rank + 0.5) / len(active)
        for j in range(k):
            at = start + dt.timedelta(seconds=round(3600 * (j + phase) / k, 3))
            if c.withdrawn is not None and at >= c.withdrawn:
                continue
            plan.append(Planned(at, c, length))
    plan.sort(key=lambda p: (p.at, p.campaign.id))
    return plan
