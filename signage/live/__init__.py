"""The live layer: one Qt-free model of the running hall (``LiveHall``) that views subscribe to."""

from signage.live.changes import (
    Change,
    Changes,
    DeckLoad,
    HallReloaded,
    LoadState,
    OperatorChanged,
    RehearsalChanged,
    ScreensChanged,
    TargetChanged,
)
from signage.live.model import LiveHall

__all__ = [
    "Change", "Changes", "DeckLoad", "HallReloaded", "LiveHall", "LoadState", "OperatorChanged",
    "RehearsalChanged", "ScreensChanged", "TargetChanged",
]
