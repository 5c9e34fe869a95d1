"""실시간: the three walls as thumbnails from the running player, their buttons, notices, decks.

The page polls ``/live/panel`` (htmx, every second) for the words and banners, and its script
reloads each wall's thumbnail from ``/live/snapshot/<wall>.png`` every second; both go through
``PlayerLink``'s half-second caches. Buttons and forms are plain POST forms with the CSRF
token, sent by htmx (the answer is a sentence in ``#flash``); without JavaScript they post and
come back to the page.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from signage.web import auth, decks
from signage.web.liveops import (
    LiveRefused,
    act,
    clear_notices,
    form_duration,
    link_of,
    load_deck,
    notice,
    sound,
    wall_names,
)
from signage.web.player import PlayerDown, PlayerRefused
from signage.web.render import error_page, render
from signage.web.walls import ACTIONS, EXPIRIES, HOLD_ACTIONS, STYLES, labels, shape, words
from signage.web.webi18n import lang_of, translator

THUMB_LANDSCAPE = 480  # pixels across of a thumbnail; a portrait wall gets fewer, as tall
THUMB_PORTRAIT = 270


def thumb_width(size) -> int:
    w, h = size
    return THUMB_PORTRAIT if h > w else THUMB_LANDSCAPE


def _walls(hall, lang: str) -> list[dict]:
    names = labels(hall, lang)
    out = []
    for display, spec in hall.displays.items():
        w, h = spec.size
        out.append({"id": display, "label": names[display], "w": w, "h": h, "portrait": h > w,
                    "thumb": f"/live/snapshot/{display}.png?width={thumb_width(spec.size)}"})
    return out


@auth.page()
async def live_page(request: Request) -> Response:
    link = link_of(request)
    hall = await run_in_threadpool(link.hall)
    if hall is None:
        return error_page(request, 503, "err_internal")
    lang = lang_of(request)
    return render(request, "live/page.html", walls=_walls(hall, lang), actions=ACTIONS, holds=HOLD_ACTIONS,
                  styles=STYLES, expiries=EXPIRIES, limits=decks.LIMITS, mb=decks.MB,
                  panel=await _panel_context(request))


async def _panel_context(request: Request) -> dict:
    link = link_of(request)
    lang = lang_of(request)
    t = translator(lang)
    hall = await run_in_threadpool(link.hall)
    ids = list(hall.displays) if hall else []
    try:
        status = await link.status()
    except PlayerDown:
        return {"down": t("wl_player_down"), "walls": {}, "ids": ids}
    except PlayerRefused as exc:
        return {"down": t("wl_player_error", error=str(exc)), "walls": {}, "ids": ids}
    shaped = await run_in_threadpool(shape, status, hall, lang)
    told = {d: {**wall, **words(wall, t, shaped["at"])} for d, wall in shaped["walls"].items()}
    return {"down": None, "rehearsal": shaped["rehearsal"], "walls": told, "ids": ids,
            "missing": [(wall["label"], wall["missing_screen"]) for wall in told.values() if wall["missing_screen"]],
            "sound": _sound_words(shaped["audio"], hall, lang)}


def _sound_words(audio: dict, hall, lang: str) -> dict | None:
    """The sound card's state line (None: the hall has no audio: block, no card)."""
    if not audio.get("enabled"):
        return None
    t = translator(lang)
    wall = labels(hall, lang).get(audio["display"], audio["display"]) if hall else audio["display"]
    state = t("wl_sound_state_muted") if audio["muted"] else t("wl_sound_state_on", volume=audio["volume"])
    return {**audio, "wall": t("wl_sound_wall", wall=wall), "state": state}


@auth.page()
async def panel(request: Request) -> Response:
    return render(request, "live/panel.html", panel=await _panel_context(request))


@auth.page()
async def snapshot(request: Request) -> Response:
    link = link_of(request)
    display = request.path_params["display"]
    hall = await run_in_threadpool(link.hall)
    if hall is None or display not in hall.displays:
        return Response(status_code=404)
    try:
        width = int(request.query_params.get("width") or thumb_width(hall.displays[display].size))
    except ValueError:
        width = thumb_width(hall.displays[display].size)
    width = min(max(width, 16), 1920)
    try:
        png = await link.snapshot(display, width)
    except (PlayerDown, PlayerRefused):
        return Response(status_code=503, headers={"Retry-After": "1", "Cache-Control": "no-store"})
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})


def _answer(request: Request, sentence: str, ok: bool = True) -> Response:
    """htmx gets the sentence for ``#flash`` (and the panel refreshes); a plain form goes back."""
    if request.headers.get("hx-request"):
        response = render(request, "live/flash.html", sentence=sentence, ok=ok)
        response.headers["HX-Trigger"] = "live-refresh"
        return response
    return RedirectResponse("/live", status_code=303)


async def _labels(request: Request) -> dict[str, str]:
    hall = await run_in_threadpool(link_of(request).hall)
    return labels(hall, lang_of(request)) if hall else {}


@auth.page()
async def action(request: Request) -> Response:
    form = request.state.form
    t = translator(lang_of(request))
    user = request.state.session.user.name
    name = str(form.get("action") or "")
    try:
        reply = await act(request, user, name, str(form.get("display") or ""))
    except LiveRefused as exc:
        return _answer(request, exc.words(t), ok=False)
    names = wall_names(link_of(request), reply.get("displays") or [], await _labels(request))
    return _answer(request, t("wl_done", walls=names, action=t("btn_" + name)))


@auth.page()
async def notice_form(request: Request) -> Response:
    form = request.state.form
    t = translator(lang_of(request))
    user = request.state.session.user.name
    walls = form.getlist("walls")
    try:
        if form.get("action") == "clear":
            cleared = await clear_notices(request, user, walls or "all")
            if not cleared:
                return _answer(request, t("wl_notice_none"), ok=False)
            names = wall_names(link_of(request), cleared, await _labels(request))
            return _answer(request, t("wl_notice_cleared", walls=names))
        style = str(form.get("style") or "notice")
        reply = await notice(request, user, form.get("text"), style, walls, form_duration(form.get("for")))
    except LiveRefused as exc:
        return _answer(request, exc.words(t), ok=False)
    names = wall_names(link_of(request), reply.get("displays") or [], await _labels(request))
    return _answer(request, t("wl_notice_done", walls=names, style=t("wl_style_" + style)))


@auth.page()
async def deck_form(request: Request) -> Response:
    form = request.state.form
    t = translator(lang_of(request))
    user = request.state.session.user.name
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    display = str(form.get("display") or "")
    try:
        reply, saved = await load_deck(request, user, display, files)
    except LiveRefused as exc:
        return _answer(request, exc.words(t), ok=False)
    wall = (await _labels(request)).get(display, display)
    label = saved.labels[0] if len(saved.labels) == 1 else f"{saved.labels[0]} +{len(saved.labels) - 1}"
    if reply.get("state") == "converting":
        return _answer(request, t("wl_deck_loading", wall=wall, label=label))
    return _answer(request, t("wl_deck_loaded", wall=wall, label=label, pages=reply.get("pages")))


SOUND_ACTIONS = ("mute", "unmute", "volume")


@auth.page()
async def sound_form(request: Request) -> Response:
    """The sound card: 🔇 소리 끄기 / 🔊 소리 켜기, or 음량 적용 with the slider's value."""
    form = request.state.form
    t = translator(lang_of(request))
    user = request.state.session.user.name
    name = str(form.get("action") or "")
    try:
        if name not in SOUND_ACTIONS:
            raise LiveRefused(400, "wl_bad_action", action=name)
        if name == "volume":
            raw = str(form.get("volume") or "")
            if not raw.isdigit():
                raise LiveRefused(400, "wl_sound_bad")
            reply = await sound(request, user, volume=int(raw))
        else:
            reply = await sound(request, user, muted=name == "mute")
    except LiveRefused as exc:
        return _answer(request, exc.words(t), ok=False)
    wall = wall_names(link_of(request), reply.get("displays") or [], await _labels(request))
    return _answer(request, t(f"wl_sound_done_{name}", wall=wall, volume=reply.get("volume")))


ROUTES = [
    Route("/live", live_page, methods=["GET"]),
    Route("/live/panel", panel, methods=["GET"]),
    Route("/live/snapshot/{display}.png", snapshot, methods=["GET"]),
    Route("/live/act", action, methods=["POST"]),
    Route("/live/notice", notice_form, methods=["POST"]),
    Route("/live/deck", deck_form, methods=["POST"]),
    Route("/live/sound", sound_form, methods=["POST"]),
]
