"""The pure schedule engine: (hall, window) → timeline. No clock reads, no Qt."""

from signage.schedule.resolver import resolve
from signage.schedule.timeline import Slot, Timeline

__all__ = ["Slot", "Timeline", "resolve"]
