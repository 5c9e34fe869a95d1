"""보고서: proof of play for the operator (``/reports``, every tenant, with the chart) and for a
tenant (``/t/reports``, its own only), the Excel CSV, and the signed monthly certificates."""

from __future__ import annotations

import datetime as dt
import secrets

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from signage.playback.chart import by_tenant
from signage.web import auth, portal, reportdata, store, tenants
from signage.web.render import error_page, render
from signage.web.tenantctx import hall_or_none, tenant_page
from signage.web.webi18n import lang_of, translator


def _window(request: Request, now: dt.datetime):
    q = request.query_params
    try:
        return reportdata.parse_window(q.get("from"), q.get("to"), now)
    except ValueError:
        return None


def _gather(request: Request, tenant: str | None):
    hall = hall_or_none(request)
    if hall is None:
        return None
    now = auth.web(request).now_in(hall.tz)
    window = _window(request, now)
    if window is None:
        return hall, now, None, []
    planner = portal.planner_for(hall)
    return hall, now, window, reportdata.rows(hall, planner, window[0], window[1], now, tenant)


def _table(hall, rows, lang: str) -> list[dict]:
    return [{**r.to_json(), "label": portal.wall_label(hall, r.display, lang)} for r in rows]


def _csv(hall, rows, lang: str, name: str) -> Response:
    return Response(reportdata.csv_bytes(hall, rows, lang), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# operator -------------------------------------------------------------------------------------

@auth.page()
async def operator_page(request: Request) -> Response:
    tenant = request.query_params.get("tenant") or None
    got = await run_in_threadpool(_gather, request, tenant)
    if got is None:
        return error_page(request, 503, "err_internal")
    hall, now, window, rows = got
    t = translator(lang_of(request))
    if window is None:
        return render(request, "reports.html", error=t("rp_bad_dates"), groups=[], window=None, tenant=tenant,
                      tenants=[], until=reportdata.passed_until(now).strftime("%Y-%m-%d %H:%M"))
    w = auth.web(request)
    charts = w.var / "charts"
    groups = []

    def draw() -> None:
        from signage.web.uploads import sweep

        sweep(charts, w.now())
        for name, part in sorted(by_tenant(rows).items()):
            cid = secrets.token_hex(8)
            reportdata.chart_png(part, window[0], window[1], f"{name} 홍보 송출 실적 / proof of play",
                                 charts / f"{cid}.png")
            groups.append({"tenant": name, "chart": f"/reports/charts/{cid}.png", "rows": _table(hall, part, lang_of(request))})

    await run_in_threadpool(draw)
    known = [tn.id for tn in tenants.all_tenants(w.db())]
    return render(request, "reports.html", error=None, groups=groups, window=window, tenant=tenant, tenants=known,
                  until=reportdata.passed_until(now).strftime("%Y-%m-%d %H:%M"))


@auth.page()
async def operator_csv(request: Request) -> Response:
    got = await run_in_threadpool(_gather, request, request.query_params.get("tenant") or None)
    if got is None or got[2] is None:
        return error_page(request, 400, "err_bad_request")
    hall, _, window, rows = got
    return _csv(hall, rows, lang_of(request), f"plays-{window[0]}-{window[1]}.csv")


@auth.page()
async def chart(request: Request) -> Response:
    cid = request.path_params["cid"]
    if len(cid) != 16 or not all(c in "0123456789abcdef" for c in cid):
        return error_page(request, 404, "err_not_found")
    path = auth.web(request).var / "charts" / f"{cid}.png"
    if not path.is_file():
        return error_page(request, 404, "err_not_found")
    return FileResponse(path, media_type="image/png")


# tenant ---------------------------------------------------------------------------------------

@tenant_page
async def tenant_page_(request: Request) -> Response:
    company = request.state.company
    got = await run_in_threadpool(_gather, request, company.id)
    if got is None:
        return error_page(request, 503, "err_internal")
    hall, now, window, rows = got
    t = translator(lang_of(request))
    months = []
    campaigns = await run_in_threadpool(portal.campaigns_of, hall, company.id)
    until = reportdata.passed_until(now)
    for c in campaigns:
        m = dt.date(c.first_day.year, c.first_day.month, 1)
        while m <= min(c.last_day, until.date() - dt.timedelta(days=1)):
            months.append({"cid": c.id, "title": c.title, "month": m.strftime("%Y-%m")})
            m = (m + dt.timedelta(days=32)).replace(day=1)
    return render(request, "portal/reports.html", company=company, rows=_table(hall, rows, lang_of(request)), window=window,
                  error=None if window else t("rp_bad_dates"), months=months,
                  until=until.strftime("%Y-%m-%d %H:%M"))


@tenant_page
async def tenant_csv(request: Request) -> Response:
    got = await run_in_threadpool(_gather, request, request.state.company.id)
    if got is None or got[2] is None:
        return error_page(request, 400, "err_bad_request")
    hall, _, window, rows = got
    return _csv(hall, rows, lang_of(request), f"plays-{window[0]}-{window[1]}.csv")


@tenant_page
async def certificate(request: Request) -> Response:
    company = request.state.company
    hall = await run_in_threadpool(hall_or_none, request)
    if hall is None:
        return error_page(request, 503, "err_internal")
    cid, month = request.path_params["cid"], request.path_params["month"]
    campaigns = await run_in_threadpool(portal.campaigns_of, hall, company.id)
    campaign = next((c for c in campaigns if c.id == cid), None)
    if campaign is None:
        return error_page(request, 404, "err_not_found")
    now = auth.web(request).now_in(hall.tz)
    try:
        pdf = await run_in_threadpool(reportdata.certificate, hall, portal.planner_for(hall), campaign, company.name,
                                      month, now, lang_of(request))
    except ValueError:
        t = translator(lang_of(request))
        return render(request, "error.html", status=404, title=t("err_not_found_title"),
                      text=t("cert_not_yet", month=month[:7]))
    w = auth.web(request)
    store.audit(w.db(), w.now(), request.state.session.user.name, "certificate", f"{company.id} #{cid} {month}",
                auth.client_address(request))
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="certificate-{cid}-{month}.pdf"'})


ROUTES = [
    Route("/reports", operator_page, methods=["GET"]),
    Route("/reports.csv", operator_csv, methods=["GET"]),
    Route("/reports/charts/{cid}.png", chart, methods=["GET"]),
    Route("/t/reports", tenant_page_, methods=["GET"]),
    Route("/t/reports.csv", tenant_csv, methods=["GET"]),
    Route("/t/certificates/{cid:int}/{month}.pdf", certificate, methods=["GET"]),
]
