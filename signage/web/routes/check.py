"""점검: what ``signage check`` says about the hall, in the page's language."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from signage.config.loader import load_hall
from signage.config.problems import ConfigError
from signage.web import auth
from signage.web.render import render
from signage.web.webi18n import lang_of, worded_in


def _check(config_path):
    try:
        hall = load_hall(config_path, check_assets=True)
    except ConfigError as exc:
        return None, exc.problems
    return hall, []


@auth.page()
async def check_page(request: Request) -> Response:
    w = auth.web(request)
    hall, problems = await run_in_threadpool(lambda: worded_in(lang_of(request), lambda: _check(w.config_path)))
    walls = []
    if hall is not None:
        for name, spec in hall.displays.items():
            walls.append({"id": name, "label": hall.label(name), "size": f"{spec.size[0]}×{spec.size[1]}",
                          "screen": spec.screen if spec.screen is not None else "-"})
    return render(request, "check.html", problems=problems, walls=walls, playlists=len(hall.playlists) if hall else 0)


ROUTES = [Route("/check", check_page, methods=["GET"])]
