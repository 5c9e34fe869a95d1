"""The player's status, shaped for tools (``GET /api/v1/walls``) and worded for the live page.

``shape`` keeps ids and plain values (kinds as ``image``/``pdf``/…, times ISO 8601); ``words``
turns one shaped wall into the sentences the page shows, in the viewer's language.
"""

from __future__ import annotations

from pathlib import PurePath

from signage.config.hall import Hall
from signage.web.webi18n import worded_in

ACTIONS = ("prev", "next", "black", "freeze", "logo", "resume")  # the buttons, in their order
HOLD_ACTIONS = ("black", "freeze", "logo")
STYLES = ("notice", "urgent")
EXPIRIES = ("", "5m", "10m", "30m", "1h", "2h")  # the notice form's choices ("" = until cleared)


def labels(hall: Hall, lang: str) -> dict[str, str]:
    """Each wall's name in ``lang`` (its ``label:``, or 전면 / front …)."""
    return worded_in(lang, lambda: {d: hall.label(d) for d in hall.displays})


def _item(wall: dict) -> dict | None:
    item = wall.get("item")
    mode = wall.get("mode")
    if not item:
        return {"kind": mode, "label": None} if mode else None
    path = item.get("path")
    label = PurePath(path).name if path else str(wall.get("label") or "").split(": ", 1)[-1] or None
    return {"kind": item.get("type"), "label": label, "path": path, "page": item.get("page")}


def _hold(hold: dict | None) -> dict | None:
    if not hold:
        return None
    out = {"kind": hold.get("kind"), "since": hold.get("since"), "until": hold.get("until"), "by": hold.get("by")}
    if hold.get("kind") == "message":
        out.update(text=hold.get("text"), style=hold.get("style") or "urgent")
    return out


def _deck(deck: dict | None) -> dict | None:
    if not deck:
        return None
    path = deck.get("deck") or ""
    return {"name": PurePath(path).name, "path": path, "page": deck.get("page"), "pages": deck.get("pages"),
            "until": deck.get("until"), "by": deck.get("by")}


def shape(status: dict, hall: Hall, lang: str) -> dict:
    """``GET /api/v1/walls``: every wall of the hall as the player reports it now."""
    names = labels(hall, lang)
    walls = {}
    for display, wall in (status.get("displays") or {}).items():
        nxt = wall.get("next")
        walls[display] = {
            "label": names.get(display, display),
            "size": list(hall.displays[display].size) if display in hall.displays else None,
            "source": wall.get("source"),
            "playlist": wall.get("playlist"),
            "name": wall.get("name"),
            "item": _item(wall),
            "hold": _hold(wall.get("hold")),
            "deck": _deck(wall.get("deck")),
            "loading": wall.get("loading"),
            "next": {"start": nxt.get("start"), "playlist": nxt.get("playlist"), "source": nxt.get("source"),
                     "name": nxt.get("name")} if nxt else None,
            "missing_screen": wall.get("missing_screen"),
            "clicker": status.get("target") == display,
            "snapshot": f"/api/v1/walls/{display}/snapshot.png",
        }
    return {"player": True, "at": status.get("at"), "hall": status.get("hall"),
            "rehearsal": bool(status.get("rehearsal")), "clicker": status.get("target"), "walls": walls,
            "audio": _audio(status.get("audio"))}


def _audio(audio: dict | None) -> dict:
    """The hall's sound for tools and /live: only what an operator needs (no engine counters)."""
    if not audio or not audio.get("enabled"):
        return {"enabled": False}
    return {k: audio.get(k) for k in ("enabled", "display", "volume", "muted", "output_ok")}


def _recent(when: str | None, at: str | None, seconds: float) -> bool:
    import datetime as dt

    try:
        return (dt.datetime.fromisoformat(at) - dt.datetime.fromisoformat(when)).total_seconds() < seconds
    except (TypeError, ValueError):
        return False


def words(wall: dict, t, at: str | None = None) -> dict:
    """What the page says about one shaped wall: now, next, source, the hold, the deck loading
    (converting until the player says loaded or failed; the outcome is said for a few minutes)."""
    hold, deck, item = wall.get("hold"), wall.get("deck"), wall.get("item") or {}
    if hold and hold["kind"] == "message":
        now = f"{t('wl_style_' + hold['style'])}: {hold.get('text') or ''}"
    elif hold:
        now = t("op_" + hold["kind"])
    elif deck:
        now = f"{t('kind_deck')}: {deck['name']} · {t('wl_page', page=deck['page'], pages=deck['pages'])}"
    else:
        kind = item.get("kind")
        now = t("kind_" + kind) if kind and f"kind_{kind}" in _known() else (kind or "—")
        if item.get("label"):
            now += f": {item['label']}"
        if item.get("page"):
            now += " · " + t("wl_page_only", page=item["page"])
    if hold and hold.get("until"):
        now += " " + t("wl_until", time=hold["until"][11:16])
    source = wall.get("source")
    source_word = t("source_" + source) if source else "—"
    if wall.get("name"):
        source_word += f" · {wall['name']}"
    elif wall.get("playlist"):
        source_word += f" · {wall['playlist']}"
    nxt = wall.get("next")
    later = "—"
    if nxt:
        later = f"{nxt['start'][11:16]} {nxt.get('name') or nxt.get('playlist') or t('source_dark')}"
        if nxt.get("source"):
            later += f" ({t('source_' + nxt['source'])})"
    loading = wall.get("loading") or {}
    load_word, load_class = None, None
    if loading.get("state") == "converting":
        load_word, load_class = t("wl_converting"), "converting"
    elif loading.get("state") == "failed" and _recent(loading.get("when"), at, 600):
        load_word, load_class = t("wl_load_failed", reason=loading.get("reason") or ""), "failed"
    elif loading.get("state") == "loaded" and _recent(loading.get("when"), at, 120):
        load_word, load_class = t("wl_loaded", pages=loading.get("pages") or "?"), "loaded"
    return {"now": now, "source": source_word, "next": later, "loading": load_word, "loading_class": load_class}


def _known() -> set[str]:
    from signage.i18n import MESSAGES

    return set(MESSAGES)
