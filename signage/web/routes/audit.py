"""기록: who did what, when, from where (sign-ins, account changes, event saves)."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from signage.web import auth, store
from signage.web.render import render

PAGE = 100


def entries(db, tz, limit: int = PAGE, before: int | None = None) -> list[dict]:
    rows = store.audit_rows(db, limit, before)
    for row in rows:
        row["when"] = dt.datetime.fromtimestamp(row["at"], tz).strftime("%Y-%m-%d %H:%M:%S")
    return rows


@auth.page()
async def audit_page(request: Request) -> Response:
    w = auth.web(request)
    try:
        before = int(request.query_params.get("before", ""))
    except ValueError:
        before = None
    rows = entries(w.db(), request.app.state.tz, PAGE, before)
    older = rows[-1]["id"] if len(rows) == PAGE else None
    return render(request, "audit.html", rows=rows, older=older)


ROUTES = [Route("/audit", audit_page, methods=["GET"])]
