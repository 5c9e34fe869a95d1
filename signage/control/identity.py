"""Which hall a player plays: its name and its resolved config path, and an id derived from the
path. ``signage ctl`` sends the id it expects, so a command meant for one hall never reaches
another hall's player listening on the same port."""

from __future__ import annotations

import hashlib
from pathlib import Path

HALL_HEADER = "X-Signage-Hall"


def config_id(config_path: str | Path) -> str:
    """A short stable id of a hall: a hash of its config file's resolved path."""
    resolved = str(Path(config_path).expanduser().resolve())
    return hashlib.sha256(resolved.encode()).hexdigest()[:16]


def hall_identity(hall) -> dict:
    """``{"id", "name", "config"}`` of a loaded hall."""
    return {"id": config_id(hall.config_path), "name": hall.name,
            "config": str(Path(hall.config_path).expanduser().resolve())}
