"""``Web``: what every route needs — the hall's paths, the clock, the database, the event desk."""

from __future__ import annotations

import datetime as dt
import ipaddress
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from signage.web import store
from signage.web.events import EventDesk


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@dataclass
class Web:
    config_path: Path
    clock: Callable[[], float] = time.time  # epoch seconds; tests pass a fake
    bind: str = "127.0.0.1"
    _local: threading.local = field(default_factory=threading.local, repr=False)

    def __post_init__(self) -> None:
        self.config_path = Path(self.config_path).absolute()
        self.desk = EventDesk(self.config_path)

    @property
    def root(self) -> Path:
        return self.config_path.parent

    @property
    def var(self) -> Path:
        return self.root / "var" / "web"

    def db(self):
        """This thread's connection to ``var/web.sqlite`` (SQLite connections stay in one thread)."""
        conn = getattr(self._local, "db", None)
        if conn is None:
            conn = self._local.db = store.open_db(store.db_path(self.root))
        return conn

    def now(self) -> float:
        return self.clock()

    def now_in(self, tz: dt.tzinfo) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.clock(), tz)
