"""What the live page and ``/api/v1/walls`` do, once: check the request, ask the player, audit it.

Each function raises ``LiveRefused`` with a message id (or the player's own sentence) and an
HTTP status; nothing reaches the player before the request is found good.
"""

from __future__ import annotations

from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from signage.control.operations import MAX_MESSAGE
from signage.web import auth, decks, store
from signage.web.player import PlayerDown, PlayerLink, PlayerRefused
from signage.web.uploads import UploadRefused
from signage.web.walls import ACTIONS, EXPIRIES, STYLES


class LiveRefused(Exception):
    """``key``/``kw`` a message id to word it with, or ``sentence`` (the player's own words)."""

    def __init__(self, status: int, key: str = "", sentence: str = "", **kw):
        super().__init__(key or sentence)
        self.status, self.key, self.sentence, self.kw = status, key, sentence, kw

    def words(self, t) -> str:
        if self.key:
            return t(self.key, **self.kw)
        return t("wl_refused", error=self.sentence)


def link_of(request: Request) -> PlayerLink:
    """The app's one link to the player (made on first use)."""
    state = request.app.state
    link = getattr(state, "player_link", None)
    if link is None:
        w = auth.web(request)
        link = state.player_link = PlayerLink(w.config_path, w.clock)
        decks.sweep(w.root, w.now())
    return link


def walls_of(link: PlayerLink) -> tuple[str, ...]:
    hall = link.hall()
    return tuple(hall.displays) if hall else ()


def chosen_walls(link: PlayerLink, wanted, *, allow_all: bool = True) -> list[str] | str:
    """``"all"``, or a list of known wall ids (from a list, or ``front,pillar``)."""
    names = walls_of(link)
    if wanted in ("all", ["all"]) and allow_all:
        return "all"
    items = [wanted] if isinstance(wanted, str) else list(wanted or [])
    parts = [p.strip() for item in items for p in str(item).split(",") if p.strip()]
    if not parts:
        raise LiveRefused(400, "wl_need_walls")
    for part in parts:
        if part not in names:
            raise LiveRefused(404, "wl_bad_wall", wall=part)
    return [n for n in names if n in parts]


def wall_names(link: PlayerLink, walls, labels: dict[str, str]) -> str:
    if walls == "all":
        walls = walls_of(link)
    return ", ".join(labels.get(w, w) for w in walls)


async def _ask(link: PlayerLink, command: str, body: dict) -> dict:
    try:
        return await link.command(command, body)
    except PlayerDown:
        raise LiveRefused(503, "wl_api_player_down") from None
    except PlayerRefused as exc:
        raise LiveRefused(exc.status if 400 <= exc.status < 600 else 502, sentence=str(exc)) from None


def _audit(request: Request, user: str, action: str, detail: str) -> None:
    w = auth.web(request)
    store.audit(w.db(), w.now(), user, action, detail, auth.client_address(request))


async def act(request: Request, user: str, action: str, wanted) -> dict:
    """next / prev / black / freeze / logo / resume on some walls (``"all"`` for every wall)."""
    link = link_of(request)
    if action not in ACTIONS:
        raise LiveRefused(400, "wl_bad_action", action=action)
    walls = chosen_walls(link, wanted)
    reply = await _ask(link, action, {"display": walls})
    await run_in_threadpool(_audit, request, user, f"live_{action}", ",".join(reply.get("displays") or []))
    return reply


async def notice(request: Request, user: str, text, style, wanted, duration) -> dict:
    link = link_of(request)
    if not isinstance(text, str) or not text.strip():
        raise LiveRefused(400, "wl_need_text")
    if len(text) > MAX_MESSAGE:
        raise LiveRefused(400, "live_message_long", length=len(text), limit=MAX_MESSAGE)
    style = style or "urgent"
    if style not in STYLES:
        raise LiveRefused(400, "wl_bad_style")
    body = {"text": text.strip(), "style": style, "display": chosen_walls(link, wanted)}
    if duration not in (None, ""):
        body["for"] = duration
    reply = await _ask(link, "message", body)
    detail = f"{style} {','.join(reply.get('displays') or [])}: {text.strip()}"
    if reply.get("until"):
        detail += f" (until {reply['until']})"
    await run_in_threadpool(_audit, request, user, "live_notice", detail)
    return reply


def form_duration(value) -> str | None:
    """The notice form's expiry: one of ``EXPIRIES``."""
    value = str(value or "")
    if value not in EXPIRIES:
        raise LiveRefused(400, "wl_bad_for")
    return value or None


async def clear_notices(request: Request, user: str, wanted) -> list[str]:
    """Lift the notices (message holds) on some walls; other holds and decks stay."""
    link = link_of(request)
    walls = chosen_walls(link, wanted or "all")
    try:
        status = await link.status()
    except PlayerDown:
        raise LiveRefused(503, "wl_api_player_down") from None
    except PlayerRefused as exc:
        raise LiveRefused(502, sentence=str(exc)) from None
    names = walls_of(link) if walls == "all" else walls
    showing = [d for d in names if ((status["displays"].get(d) or {}).get("hold") or {}).get("kind") == "message"]
    if not showing:
        return []
    await _ask(link, "resume", {"display": showing})  # with a hold on, resume lifts just the hold
    await run_in_threadpool(_audit, request, user, "live_notice_clear", ",".join(showing))
    return showing


async def load_deck(request: Request, user: str, display, files) -> tuple[dict, decks.SavedDeck]:
    """Save the uploaded deck and have the player load it on ``display``."""
    link = link_of(request)
    walls = chosen_walls(link, display, allow_all=False)
    if len(walls) != 1:
        raise LiveRefused(400, "live_one_wall")
    root: Path = auth.web(request).root
    try:
        saved = await run_in_threadpool(decks.save_deck, root, [(f.file, f.filename, f.size) for f in files])
    except UploadRefused as exc:
        raise LiveRefused(422, exc.key, **exc.kw) from None
    try:
        reply = await _ask(link, "load", {"path": str(saved.path), "display": walls[0]})
    except LiveRefused:
        decks.discard(saved, root)
        raise
    await run_in_threadpool(_audit, request, user, "live_deck",
                            f"{walls[0]}: {', '.join(saved.labels)} → {saved.path.relative_to(root)} ({reply.get('state')})")
    return reply, saved


def _volume_or_none(value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise LiveRefused(400, "wl_sound_bad")
    return round(value)


async def sound(request: Request, user: str, muted=None, volume=None) -> dict:
    """Mute or unmute the hall and/or set its volume (``{muted?, volume?}``); the player records it
    as operator actions, the web app audits it as ``live_sound``."""
    link = link_of(request)
    if muted is not None and not isinstance(muted, bool):
        raise LiveRefused(400, "sound_bad_muted", value=repr(muted))
    level = _volume_or_none(volume)
    if muted is None and level is None:
        raise LiveRefused(400, "sound_nothing")
    body = {k: v for k, v in (("muted", muted), ("volume", level)) if v is not None}
    reply = await _ask(link, "sound", body)
    detail = ", ".join(f"{k}={v}" for k, v in body.items()) + f" ({','.join(reply.get('displays') or [])})"
    await run_in_threadpool(_audit, request, user, "live_sound", detail)
    return reply
