"""Load and validate a hall: ``config.yaml``, every playlist, cross references and assets.

``load_hall`` either returns a usable ``Hall`` or raises ``ConfigError`` with every problem it
found, each as ``file:line:col: message — how to write it``.
"""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from signage.config.assets import folder_images, sniff
from signage.config.errors import problems_from, suggestion_hint
from signage.config.hall import Hall
from signage.config.models import HallConfig, Playlist, event_bounds
from signage.config.problems import ConfigError, Problem
from signage.config.yamlsrc import Source, read_yaml
from signage.i18n import t


def _label(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return rel if not rel.startswith("..") else str(path)


def load_hall(config_path: str | Path, *, check_assets: bool = True) -> Hall:
    config_path = Path(config_path).absolute()
    root = config_path.parent
    problems: list[Problem] = []
    config: HallConfig | None = None
    source: Source | None = None
    try:
        source = read_yaml(config_path, _label(config_path))
        config = HallConfig.model_validate(source.data)
    except ConfigError as exc:
        problems.extend(exc.problems)
    except ValidationError as exc:
        problems.extend(problems_from(exc, source, HallConfig))

    playlist_dir = root / (config.playlists if config else _guess_playlist_dir(source))
    playlists, playlist_sources, broken = load_playlists(playlist_dir, problems)

    hall = None
    if config is not None and source is not None:
        hall = Hall(config=config, root=root, config_path=config_path, playlists=playlists)
        problems.extend(_cross_check(hall, source, playlist_dir, broken))
        if check_assets and config.fallback:
            problems.extend(_check_file(root, source, ("fallback",), config.fallback, "image"))
    if check_assets:
        problems.extend(_check_playlist_assets(root, playlists, playlist_sources))
    if problems:
        raise ConfigError(problems)
    return hall


def _guess_playlist_dir(source: Source | None) -> str:
    value = source.data.get("playlists") if source is not None else None
    return value if isinstance(value, str) else "playlists"


def load_playlists(
    folder: Path, problems: list[Problem]
) -> tuple[dict[str, Playlist], dict[str, Source], set[str]]:
    """Every ``*.yaml`` in the playlist folder, by file stem.

    Returns the valid playlists, their sources, and the names of broken ones (whose problems
    are added to ``problems``)."""
    playlists: dict[str, Playlist] = {}
    sources: dict[str, Source] = {}
    broken: set[str] = set()
    if not folder.is_dir():
        return playlists, sources, broken
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
        src: Source | None = None
        try:
            src = read_yaml(path, _label(path))
            playlists[path.stem] = Playlist.model_validate(src.data)
            sources[path.stem] = src
        except ConfigError as exc:
            problems.extend(exc.problems)
            broken.add(path.stem)
        except ValidationError as exc:
            problems.extend(problems_from(exc, src, Playlist))
            broken.add(path.stem)
    return playlists, sources, broken


def _assignments(config: HallConfig):
    """(loc, display, assignment) for every place the schedule names a display."""
    sched = config.schedule
    for display, assign in sched.default.items():
        yield ("schedule", "default", display), display, assign
    for i, part in enumerate(sched.dayparts):
        for display, assign in part.displays.items():
            yield ("schedule", "dayparts", i, "displays", display), display, assign
    for i, event in enumerate(sched.events):
        for display, assign in event.displays.items():
            yield ("schedule", "events", i, "displays", display), display, assign


def _cross_check(hall: Hall, source: Source, playlist_dir: Path, broken: set[str]) -> list[Problem]:
    config, out = hall.config, []
    names = list(config.displays)
    if not names:
        out.append(source.problem(("displays",), t("no_displays")))
    for loc, display, assign in _assignments(config):
        if display not in config.displays:
            hint = suggestion_hint(display, names)
            out.append(
                source.problem(
                    loc, t("unknown_display", name=display, hint=hint, known=", ".join(names)), key=True
                )
            )
        if assign.playlist not in hall.playlists and assign.playlist not in broken:
            path = _label(playlist_dir / f"{assign.playlist}.yaml")
            hint = suggestion_hint(assign.playlist, list(hall.playlists))
            out.append(source.problem(loc, t("unknown_playlist", name=assign.playlist, path=path, hint=hint)))
    if config.audio is not None and config.audio.display not in config.displays:  # sound: the wall it follows
        hint = suggestion_hint(config.audio.display, names)
        out.append(source.problem(("audio", "display"), t("unknown_display", name=config.audio.display, hint=hint,
                                                            known=", ".join(names))))
    for name in names:
        if name not in config.schedule.default:
            out.append(source.problem(("schedule", "default"), t("no_default", name=name)))
    for i, part in enumerate(config.schedule.dayparts):
        if part.start == part.end:
            out.append(source.problem(("schedule", "dayparts", i, "end"), t("same_start_end", start=_hhmm(part.start))))
        if part.from_ and part.until and part.until < part.from_:
            out.append(
                source.problem(
                    ("schedule", "dayparts", i, "until"), t("until_before_from", until=part.until, start=part.from_)
                )
            )
    dark = config.schedule.dark
    if dark and dark.start == dark.end:
        out.append(source.problem(("schedule", "dark", "end"), t("same_start_end", start=_hhmm(dark.start))))
    control = config.control
    if control.enabled and not control.token:
        from signage.config.network import is_loopback

        if not is_loopback(control.bind):
            out.append(source.problem(("control", "bind"), t("control_needs_token", bind=control.bind)))
    out.extend(_check_events(hall, source))
    return out


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _check_events(hall: Hall, source: Source) -> list[Problem]:
    out: list[Problem] = []
    tz = ZoneInfo(hall.config.timezone)
    spans: dict[str, list[tuple]] = {}
    for i, event in enumerate(hall.config.schedule.events):
        start, end = event_bounds(event, tz)
        if end <= start:
            fmt = "%Y-%m-%d %H:%M"
            msg = (
                t("same_start_end", start=start.strftime(fmt))
                if end == start
                else t("end_before_start", start=start.strftime(fmt), end=end.strftime(fmt))
            )
            out.append(source.problem(("schedule", "events", i, "end"), msg))
            continue
        for display in event.displays:
            spans.setdefault(display, []).append((start, end, i, event.name))
    for display, items in spans.items():
        items.sort()
        for (_s1, e1, i1, n1), (s2, _e2, i2, n2) in zip(items, items[1:], strict=False):
            if s2 < e1:
                first_line = source.position(("schedule", "events", i1))[0]
                second_line = source.position(("schedule", "events", i2))[0]
                (a_i, a, b_line, b) = (i2, n2, first_line, n1) if i2 > i1 else (i1, n1, second_line, n2)
                out.append(
                    source.problem(
                        ("schedule", "events", a_i),
                        t("event_overlap", a=a, b=b, line=b_line, display=display),
                    )
                )
    return out


def _check_playlist_assets(root: Path, playlists: dict[str, Playlist], sources: dict[str, Source]) -> list[Problem]:
    out: list[Problem] = []
    for name, playlist in playlists.items():
        src = sources[name]
        for i, item in enumerate(playlist.items):
            kind = item.kind
            if kind == "slide":
                for key in ("image", "logo"):
                    value = getattr(item.slide, key)
                    if value:
                        out.extend(_check_file(root, src, ("items", i, "slide", key), value, "image"))
            elif kind == "folder":
                out.extend(_check_folder(root, src, ("items", i, "folder"), item.folder))
            else:
                out.extend(_check_file(root, src, ("items", i, kind), item.path, kind))
    return out


def resolve_asset(root: Path, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else root / path


def _check_file(root: Path, src: Source, loc, value: str, kind: str) -> list[Problem]:
    path = resolve_asset(root, value)
    if not path.is_file():
        return [src.problem(loc, t("asset_missing", path=value))]
    actual = sniff(path)
    if actual is None:
        return [src.problem(loc, t("asset_unknown_kind", path=value, kind=kind))]
    if actual != kind:
        return [src.problem(loc, t("asset_kind", path=value, kind=kind, actual=actual))]
    return []


def _check_folder(root: Path, src: Source, loc, value: str) -> list[Problem]:
    path = resolve_asset(root, value)
    if not path.exists():
        return [src.problem(loc, t("asset_missing", path=value))]
    if not path.is_dir():
        return [src.problem(loc, t("asset_not_dir", path=value))]
    if not folder_images(path):
        return [src.problem(loc, t("asset_empty_dir", path=value))]
    return []
