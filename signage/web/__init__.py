"""``signage serve``: the hall's web app and JSON API (no Qt; the compositor runs in a child).

Layout (one module per concern; routes per area):

- ``app.py``       the app factory: ``create_app(config_path, clock=...)`` wires everything
- ``context.py``   ``Web``: the hall's paths, the clock, the per-thread database, the event desk
- ``store.py``     ``var/web.sqlite``: accounts (``Role``), API tokens, sessions, throttle, audit
- ``auth.py``      who is asking (session cookie or bearer token), ``page``/``api`` guards, CSRF
- ``render.py``    Jinja2 pages, the layout's navigation (``NAV``), friendly error pages
- ``webi18n.py``   the request's language (``?lang=en`` / cookie) and ``t`` for templates
- ``yamledit.py``  round-trip edits of ``schedule.events`` keeping the operator's comments
- ``shadow.py``    a shadow copy of the hall where a candidate change is checked and previewed
- ``events.py``    plan → check → commit (atomic) and preview (``signage preview`` child)
- ``uploads.py``   event uploads: generated names, type by content, size caps, drafts
- ``calendar.py``  the week calendar's model, from ``signage.schedule.resolve``
- ``openapi.py``   the OpenAPI document of ``/api/v1``
- ``routes/``      one module per area: ``login``, ``schedule``, ``check``, ``audit``,
                   ``accounts``, ``api``; each exposes ``ROUTES`` (a list of Starlette routes)
"""
