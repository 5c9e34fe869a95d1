"""The loaded hall: validated configuration, playlists, and where files live."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from signage.config.models import DisplaySpec, HallConfig, Playlist


@dataclass(frozen=True)
class Hall:
    config: HallConfig
    root: Path
    config_path: Path
    playlists: dict[str, Playlist] = field(default_factory=dict)

    @property
    def tz(self) -> dt.tzinfo:
        return ZoneInfo(self.config.timezone)

    @property
    def displays(self) -> dict[str, DisplaySpec]:
        return self.config.displays

    @property
    def name(self) -> str:
        return self.config.hall

    def label(self, display: str) -> str:
        """The wall's name as people read it: its ``label:``, else 전면 / 후면 / 기둥, else its id."""
        from signage.i18n import display_label

        spec = self.config.displays.get(display)
        return spec.label if spec is not None and spec.label else display_label(display)

    def asset(self, path: str) -> Path:
        """A path from a config or playlist file, relative to the hall folder."""
        p = Path(path).expanduser()
        return p if p.is_absolute() else self.root / p  # same rule as loader.resolve_asset

    @property
    def fallback(self) -> Path | None:
        return self.asset(self.config.fallback) if self.config.fallback else None
