"""A portrait version of a clip, for the portrait walls (the pillar): linked to its main clip.

A tenant may send a separate portrait cut beside the landscape master. It is a submission of
its own (probed and judged the same way) with the status ``attached``: it is not a second item
in the review queue. Approving the main clip conforms, for each portrait wall, the attached
portrait version instead (``source_for``), so the campaign's media per display points at it.
"""

from __future__ import annotations

from signage.intake.store import Store, Submission

SCHEMA = """
CREATE TABLE IF NOT EXISTS companions (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions (id),
    portrait_id INTEGER NOT NULL REFERENCES submissions (id)
);
"""
ATTACHED = "attached"


def _ensure(store: Store) -> None:
    store.db.executescript(SCHEMA)


def attach(store: Store, main_id: int, portrait_id: int) -> None:
    """Link an accepted portrait submission to its main one (replacing an earlier portrait)."""
    _ensure(store)
    store.db.execute("INSERT INTO companions (submission_id, portrait_id) VALUES (?, ?) ON CONFLICT(submission_id)"
                     " DO UPDATE SET portrait_id = excluded.portrait_id", (main_id, portrait_id))
    store.db.execute("UPDATE submissions SET status = ? WHERE id = ?", (ATTACHED, portrait_id))
    store.db.commit()


def portrait_of(store: Store, main_id: int) -> Submission | None:
    _ensure(store)
    row = store.db.execute("SELECT portrait_id FROM companions WHERE submission_id = ?", (main_id,)).fetchone()
    return store.get(row[0]) if row else None


def main_of(store: Store, portrait_id: int) -> int | None:
    _ensure(store)
    row = store.db.execute("SELECT submission_id FROM companions WHERE portrait_id = ?", (portrait_id,)).fetchone()
    return row[0] if row else None


def portrait(size: tuple[int, int]) -> bool:
    return size[1] > size[0]


def source_for(store: Store, sub: Submission, size: tuple[int, int]) -> Submission:
    """The submission to conform for a wall of ``size``: the attached portrait version on a
    portrait wall, else the clip itself."""
    if portrait(size):
        other = portrait_of(store, sub.id)
        if other is not None and other.status == ATTACHED and other.original:
            return other
    return sub
