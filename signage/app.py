"""``signage run``: wires the hall, the planner, one runner and window per wall, and the timers."""

from __future__ import annotations

import datetime as dt
import logging
import math
import resource
import sqlite3
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication

from signage.audio.hall import HallSound
from signage.config.hall import Hall
from signage.config.loader import load_hall
from signage.config.problems import ConfigError
from signage.config.watch import ConfigWatcher
from signage.control.keys import press
from signage.control.operations import Operations
from signage.display.bridge import MainThreadBridge
from signage.display.compositor import Compositor
from signage.display.runner import DisplayRunner
from signage.display.screens import Status, assign_screens, describe, wall_title
from signage.display.window import OutputWindow, qt_screens
from signage.i18n import t
from signage.intake.store import load_campaigns
from signage.live import LiveHall, OperatorChanged
from signage.media.bgra import Pictures
from signage.media.snapshots import SnapshotWriter
from signage.memory import give_back_free_memory, rss_mb
from signage.playback.catalog import Catalog
from signage.playback.clock import SystemClock
from signage.playback.records import PlayLog, plays_db_path
from signage.schedule import resolve
from signage.schedule.campaigns import CampaignBook

log = logging.getLogger("signage.player")

TIMELINE_BEHIND = dt.timedelta(hours=1)
TIMELINE_AHEAD = dt.timedelta(hours=26)


class Player(QObject):
    def __init__(self, hall: Hall, *, headless: bool, clock=None, var_dir: Path | None = None,
                 snapshot_dir: Path | None = None, snapshot_every: float = 5.0,
                 reload_every: float = 2.0, rehearsal: bool = False):
        super().__init__()
        sys.setswitchinterval(0.002)  # the GUI thread gets the GIL back quickly from decoder threads
        self.hall = hall
        self.headless = headless
        self.clock = clock or SystemClock(hall.tz)
        self.var_dir = var_dir or hall.root / "var"
        self.catalog = Catalog()
        # one still at a time: each render briefly holds ~14 MB of decoded pixels (1080p), and
        # three walls prepare their next stills at the same moment; 2 s ahead, one thread keeps up
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="compose")
        self.snapshots = SnapshotWriter(snapshot_dir or self.var_dir / "snapshots")
        # A rehearsal (``run --start-at``) plays another time: its records never join the real proof of play.
        self.play_log = PlayLog(plays_db_path(self.var_dir, rehearsal))
        if rehearsal:
            log.warning(t("rec_rehearsal", path=self.play_log.path))
        self.intake_db = self.var_dir / "intake.sqlite"
        # the live model: holds, decks, positions, the clicker's wall; views subscribe to it
        self.live = LiveHall(hall, self.catalog, self._current_timeline, campaigns=self._load_campaigns(),
                             deck_dir=self.var_dir / "decks", rehearsal=rehearsal)
        self.live.subscribe(lambda change: self.play_log.add_action(change.action), OperatorChanged)
        self.planner = self.live.planner
        self.manual, self.operator = self.live.manual, self.live.operator
        self.ops = Operations(self.live)
        self.bridge = MainThreadBridge(self)
        self.api = None
        self.runners: dict[str, DisplayRunner] = {}
        self.windows: dict[str, OutputWindow] = {}
        # wall id → the screen it wants, as text ("HDMI-1", "#2", "[0,0,1920,1080]"), for every wall
        # not on a screen now (kept by map_screens; empty when headless)
        self.missing_screens: dict[str, str] = {}
        self._screen_states: dict[str, tuple] = {}  # wall → what was last logged about its screen
        self.latest = Pictures()  # wall → its picture; reading it gives canvases
        self.first_frame_s: dict[str, float] = {}
        self.audio = HallSound(hall.config.audio)  # sound: silent unless config.yaml has an audio: block
        self.ops.sound = self.audio  # sound: mute, unmute and volume go through Operations
        self.timeline = None
        self._timeline_until: dt.datetime | None = None
        self._watcher = ConfigWatcher(hall.config_path, hall.root / hall.config.playlists)
        self._started = time.monotonic()
        self._cpu0 = time.process_time()
        self._cpu_playing0: float | None = None
        self._stopped = False
        self._build_displays()
        # One precise single-shot timer, re-armed after each tick for the earliest thing any wall
        # needs next (a frame due, a preload, a switch), instead of polling.
        self._tick_timer = QTimer(self)
        self._tick_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._tick_timer.setSingleShot(True)
        self._tick_timer.timeout.connect(self._timed_tick)
        self._timers_on = False
        self.wakeups = 0
        self._reload_timer = QTimer(self)
        self._reload_timer.setInterval(int(reload_every * 1000))
        self._reload_timer.timeout.connect(self._housekeeping)
        self.rss_samples: list[tuple[float, float]] = []  # (seconds since start, MB), every 10 s
        self._snapshot_timer = QTimer(self)
        self._snapshot_timer.setInterval(int(snapshot_every * 1000))
        self._snapshot_timer.timeout.connect(self.write_snapshots)

    # ---- building ----------------------------------------------------------------------------

    def _build_displays(self) -> None:
        for name, spec in self.hall.displays.items():
            compositor = Compositor(spec.size, self.hall.root, self.catalog)
            self.runners[name] = DisplayRunner(name, self.planner, compositor, self.pool, self.play_log)
            self.runners[name].audio = self.audio  # sound
            if not self.headless:
                self.windows[name] = OutputWindow(name, spec.size)
                self.windows[name].key_pressed.connect(lambda key, _n=name: self.handle_key(key, "clicker"))

    def warm(self) -> None:
        """Probe every playlist's media before the first frame (lengths, pages, failures)."""
        for name in self.hall.playlists:
            self.planner.cycle(name)

    def start_api(self) -> None:
        """The local control API, when the config enables it (a port in use is logged, not fatal);
        a changed ``control:`` section is applied when the configuration reloads."""
        from signage.control.lifecycle import open_api

        self._api_wanted = True
        self.api = open_api(self.hall.config.control, self._make_api)

    def _make_api(self, control):
        from signage.control.api import ControlServer

        return ControlServer(self.ops, self.bridge.submit, self.clock, control.bind, control.port,
                             control.token, player=self)

    def free_screen(self):
        """The first screen no wall uses, not even a region of it (for the console), or None."""
        infos, qscreens = qt_screens()
        mapping = assign_screens({n: d.screen for n, d in self.hall.displays.items()}, infos)
        used = {w.screen.index for w in mapping.values() if w.status.on_air}
        return next((qscreens[s.index] for s in infos if s.index not in used), None)

    def _current_timeline(self, now: dt.datetime | None = None):
        self._ensure_timeline(now or self.clock.now())
        return self.timeline

    @property
    def rehearsal(self) -> bool:
        """Playing a practice time (``signage run --start-at``); the console shows a banner."""
        return self.live.rehearsal

    @rehearsal.setter
    def rehearsal(self, value: bool) -> None:
        self.live.set_rehearsal(bool(value))

    def key_target(self, now: dt.datetime) -> str:
        """The wall a clicker drives (``LiveHall.clicker_wall``)."""
        return self.live.clicker_wall(now)

    def handle_key(self, key: str, by: str = "clicker") -> str | None:
        action = press(self.ops, key, self.clock.now(), by)
        if action is not None:
            self.tick()
        return action

    def start(self, timers: bool = True) -> None:
        """Probe media, place the windows, show the first frames; ``timers=False`` lets a test
        drive ``tick()`` itself with a fake clock."""
        self.warm()
        if not self.headless:
            app = QGuiApplication.instance()
            app.screenAdded.connect(self._screen_added)
            app.screenRemoved.connect(self._screen_removed)
            for screen in app.screens():
                screen.geometryChanged.connect(self._screens_changed)
            self.map_screens()
        self.tick()
        if not timers:
            return
        self._timers_on = True
        self._tick_timer.start(0)
        self._reload_timer.start()
        if self.headless:
            self._snapshot_timer.start()
            QTimer.singleShot(2500, self.write_snapshots)

    # ---- screens -----------------------------------------------------------------------------

    def map_screens(self, screens=None) -> dict[str, str | None]:
        """Put each wall's window on its screen (or its region of one), withdraw the ones whose
        screen is missing, log one line per wall whose mapping changed, keep ``missing_screens``.
        ``screens`` is ``qt_screens()``'s answer (a test may pass its own); returns wall → screen name."""
        infos, qscreens = screens or qt_screens()
        wanted = {name: spec.screen for name, spec in self.hall.displays.items()}
        result: dict[str, str | None] = {}
        missing: dict[str, str] = {}
        self._screen_states = {n: s for n, s in self._screen_states.items() if n in wanted}
        for name, wall in assign_screens(wanted, infos).items():
            window = self.windows.get(name)
            if window is None:
                continue
            state = wall.state(infos)
            if self._screen_states.get(name) != state:
                self._screen_states[name] = state
                quiet = wall.status is Status.PLACED and not wall.same_name
                log.log(logging.INFO if quiet else logging.WARNING,
                        describe(wall, wall_title(self.hall.label(name), name), infos))
            qscreen = qscreens.get(wall.screen.index) if wall.status.on_air else None
            if qscreen is None:
                window.withdraw()
                result[name] = None
                missing[name] = wall.wanted_text
                continue
            if not window.isVisible() or window.wanted is not qscreen or window.geometry().getRect() != wall.rect:
                window.place_on(qscreen, wall.rect)
                if name in self.latest:
                    window.present(self.latest.raw(name))
            result[name] = wall.screen.name
        self.missing_screens = missing
        self.live.set_missing_screens(missing)  # the console and other views follow it
        return result

    def _screen_added(self, screen) -> None:
        screen.geometryChanged.connect(self._screens_changed)
        self._screens_changed()

    def _screen_removed(self, _screen) -> None:
        QTimer.singleShot(0, self, self._screens_changed)  # Qt still lists the screen during the signal

    def _screens_changed(self, *_args) -> None:
        if not self._stopped:
            self.map_screens()

    # ---- the loop ----------------------------------------------------------------------------

    def _ensure_timeline(self, now: dt.datetime) -> None:
        if self.timeline is None or now >= self._timeline_until or now < self.timeline.start:
            # back to local midnight at least, so slot anchors match preview (Planner.anchor)
            midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
            start = min(now - TIMELINE_BEHIND, midnight)
            self.timeline = resolve(self.hall.config, start, now + TIMELINE_AHEAD)
            self._timeline_until = now + TIMELINE_AHEAD - dt.timedelta(hours=2)

    def tick(self) -> None:
        now, mono = self.clock.now(), self.clock.monotonic()
        self._ensure_timeline(now)
        self.live.update(now)
        for name, runner in self.runners.items():
            try:
                canvas = runner.tick(self.timeline, now, mono)
            except Exception:  # noqa: BLE001 - one wall's bug must not stop the others
                log.exception("%s: playback error; holding the last frame", name)
                continue
            if canvas is None:
                continue
            self.latest[name] = canvas
            if name not in self.first_frame_s:
                self.first_frame_s[name] = time.monotonic() - self._started
                if len(self.first_frame_s) == len(self.runners):
                    self._cpu_playing0 = time.process_time()
            window = self.windows.get(name)
            if window is not None:
                window.present(canvas)

    def _timed_tick(self) -> None:
        self.wakeups += 1
        self.tick()
        if not self._timers_on:
            return
        now, mono = self.clock.now(), self.clock.monotonic()
        wake = min((r.next_wakeup(now, mono) for r in self.runners.values()), default=mono + 0.25)
        wait = min(max(wake - mono, 0.0), 0.25)  # never sleep long: the clock or config may move
        self._tick_timer.start(math.ceil(wait * 1000))  # rounded up: never wake before it is due

    def _load_campaigns(self):
        try:
            return load_campaigns(self.intake_db, self.hall.tz)
        except sqlite3.Error as exc:
            log.error(t("pl_campaigns_unreadable", path=self.intake_db, error=exc))
            return self.planner.campaigns if hasattr(self, "planner") else CampaignBook()

    def reload_campaigns_if_changed(self) -> bool:
        """Pick up approvals and withdrawals made with ``signage inbox`` while the player runs."""
        if not self.intake_db.exists():
            return False
        try:
            with closing(sqlite3.connect(f"file:{self.intake_db}?mode=ro", uri=True, timeout=1)) as db:
                row = db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        except sqlite3.Error:
            return False
        version = int(row[0]) if row else 0
        if version == self.planner.campaigns.version:
            return False
        self.planner.set_campaigns(self._load_campaigns())
        log.info(t("pl_campaigns_reloaded", count=len(self.planner.campaigns.campaigns)))
        return True

    def _housekeeping(self) -> None:
        self.reload_if_changed()
        self.reload_campaigns_if_changed()
        give_back_free_memory()
        t = time.monotonic() - self._started
        if not self.rss_samples or t - self.rss_samples[-1][0] >= 10:
            self.rss_samples.append((round(t, 1), round(rss_mb(), 1)))

    def reload_if_changed(self) -> bool:
        if not self._watcher.changed():
            return False
        try:
            hall = load_hall(self.hall.config_path, check_assets=False)
        except ConfigError as exc:
            log.error(t("pl_reload_ignored", problems=exc))
            return False
        same_walls = {n: (s.size, s.screen) for n, s in hall.displays.items()} == {
            n: (s.size, s.screen) for n, s in self.hall.displays.items()
        }
        control = self.hall.config.control
        self.hall = hall
        if getattr(self, "_api_wanted", False) and hall.config.control != control:
            from signage.control.lifecycle import apply_control_change

            self.api = apply_control_change(self.api, control, hall.config.control, self._make_api)
        self.audio.configure(hall.config.audio)  # sound
        self.planner = self.live.reload(hall, walls_changed=not same_walls)
        self.warm()
        if same_walls:
            for runner in self.runners.values():
                runner.planner = self.planner
        else:
            now = self.clock.now()
            for runner in self.runners.values():
                runner.shutdown(now)
            for window in self.windows.values():
                window.withdraw()
            self.runners, self.windows = {}, {}
            self._build_displays()
            if not self.headless:
                self.map_screens()
        self.timeline = None
        log.info(t("pl_reloaded", name=hall.config_path.name))
        return True

    def write_snapshots(self) -> None:
        """Each wall's picture to ``snapshot_dir/<wall>.png``, off this thread (``SnapshotWriter``)."""
        self.snapshots.write({name: self.latest.raw(name) for name in self.latest})

    @property
    def snapshot_dir(self) -> Path:
        return self.snapshots.folder

    @snapshot_dir.setter
    def snapshot_dir(self, folder: Path) -> None:
        self.snapshots.folder = folder

    # ---- ending ------------------------------------------------------------------------------

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._timers_on = False
        for timer in (self._tick_timer, self._reload_timer, self._snapshot_timer):
            timer.stop()
        if self.api is not None:
            self.api.stop()
        self.live.close()
        now, mono = self.clock.now(), self.clock.monotonic()
        for runner in self.runners.values():
            runner.shutdown(now, mono)
        self.audio.close()  # sound
        self.snapshots.close({name: self.latest.raw(name) for name in self.latest} if self.headless else None)
        self.pool.shutdown(wait=True)
        self.play_log.close()
        for window in self.windows.values():
            window.close()

    def stats(self) -> dict:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return {
            "seconds": round(time.monotonic() - self._started, 3),
            "cpu_seconds": round(time.process_time() - self._cpu0, 3),
            # from the moment every wall showed its first frame: start-up (imports, probing) excluded
            "cpu_seconds_playing": round(time.process_time() - (self._cpu_playing0 or self._cpu0), 3),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "first_frame_s": {k: round(v, 3) for k, v in self.first_frame_s.items()},
            "wakeups": self.wakeups,
            "rss_mb": self.rss_samples,
            "displays": {name: r.stats.to_json() for name, r in self.runners.items()},
            # a paint converts a video frame itself (direct) or copies a canvas; paints per presented
            # frame above 1 would convert frames twice
            "paints": {name: {"all": w.paints, "direct": w.direct_paints} for name, w in self.windows.items()},
            "audio": self.audio.status(),  # sound
        }


def load_for_run(config_path: Path) -> Hall:
    """The hall for the player: assets are checked as they play, not all up front."""
    return load_hall(config_path, check_assets=False)
