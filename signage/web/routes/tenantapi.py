"""The tenant's JSON API: its own submissions and its proof of play (``Authorization: Bearer``)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from signage.intake import companions
from signage.intake.inbox import store_path
from signage.intake.store import Store, Submission
from signage.web import auth, portal, reportdata
from signage.web.tenantctx import hall_or_none, own_submission, own_submissions, tenant_api
from signage.web.webi18n import lang_of


def submission_json(hall, sub: Submission, campaign, now, lang: str) -> dict:
    f = sub.facts
    out = {"id": sub.id, "filename": sub.filename, "received": sub.received,
           "status": portal.status_of(sub, campaign, now), "kind": sub.kind,
           "reasons": [r.text(lang) for r in sub.reasons],
           "facts": {k: f.get(k) for k in ("container", "codec", "width", "height", "duration_s", "fps", "audio")},
           "size_bytes": sub.size, "note": sub.note if sub.status == "rejected" else None, "campaign": None}
    if campaign is not None:
        out["campaign"] = {"id": campaign.id, "displays": list(campaign.displays),
                           "first_day": campaign.first_day.isoformat(), "last_day": campaign.last_day.isoformat(),
                           "per_hour": campaign.per_hour,
                           "withdrawn": campaign.withdrawn.isoformat() if campaign.withdrawn else None}
    return out


def _unavailable() -> Response:
    return JSONResponse({"error": "config_broken"}, status_code=503)


@tenant_api
async def submissions(request: Request) -> Response:
    hall = await run_in_threadpool(hall_or_none, request)
    if hall is None:
        return _unavailable()
    company, lang = request.state.company, lang_of(request)

    def gather():
        now = auth.web(request).now_in(hall.tz)
        campaigns = {c.submission_id: c for c in portal.campaigns_of(hall, company.id)}
        return [submission_json(hall, s, campaigns.get(s.id), now, lang) for s in own_submissions(hall, company.id)
                if s.status != companions.ATTACHED]

    return JSONResponse({"submissions": await run_in_threadpool(gather)})


@tenant_api
async def submission(request: Request) -> Response:
    hall = await run_in_threadpool(hall_or_none, request)
    if hall is None:
        return _unavailable()
    company = request.state.company
    sub = await run_in_threadpool(own_submission, hall, company.id, request.path_params["sid"])
    if sub is None:
        return auth.api_error(404, "err_not_found", lang_of(request))

    def gather():
        now = auth.web(request).now_in(hall.tz)
        out = submission_json(hall, sub, portal.campaign_for(hall, sub.id), now, lang_of(request))
        with Store(store_path(hall)) as st:
            portrait = companions.portrait_of(st, sub.id)
        out["portrait"] = ({"id": portrait.id, "status": portrait.status, "width": portrait.facts.get("width"),
                            "height": portrait.facts.get("height")} if portrait else None)
        return out

    return JSONResponse(await run_in_threadpool(gather))


@tenant_api
async def plays(request: Request) -> Response:
    hall = await run_in_threadpool(hall_or_none, request)
    if hall is None:
        return _unavailable()
    company = request.state.company
    now = auth.web(request).now_in(hall.tz)
    q = request.query_params
    try:
        first, last = reportdata.parse_window(q.get("from"), q.get("to"), now)
    except ValueError:
        return auth.api_error(400, "api_bad_day", lang_of(request))
    rows = await run_in_threadpool(lambda: reportdata.rows(hall, portal.planner_for(hall), first, last, now, company.id))
    until = reportdata.passed_until(now)
    return JSONResponse({"from": first.isoformat(), "to": last.isoformat(), "until": until.isoformat(),
                         "tenant": company.id, "rows": [r.to_json() for r in rows]})


ROUTES = [
    Route("/api/v1/submissions", submissions, methods=["GET"]),
    Route("/api/v1/submissions/{sid:int}", submission, methods=["GET"]),
    Route("/api/v1/reports/plays", plays, methods=["GET"]),
]
