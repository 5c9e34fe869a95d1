"""Opening the control API and applying a changed ``control:`` section while the player plays.

The walls matter more than the API: whatever goes wrong here is logged (Korean first, naming the
setting to change) and the player plays on. ``make(control)`` builds a bound, unstarted server
for a ``ControlConfig`` (raising ``OSError`` for a port in use, ``ValueError`` for a missing token).
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable

from signage.control.api import ControlServer, is_loopback
from signage.i18n import t

log = logging.getLogger("signage.api")

Make = Callable[[object], ControlServer]


def why_not(control, exc: Exception) -> str:
    """The sentence for a server that could not be opened with these settings."""
    if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
        other = control.port + 1 if control.port < 65535 else control.port - 1
        return t("api_port_in_use", port=control.port, bind=control.bind, other=other)
    error = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
    return t("api_not_started", bind=control.bind, port=control.port, error=error)


def open_api(control, make: Make) -> ControlServer | None:
    """A started server, or None (logged) when the settings disable it or it cannot open."""
    if not control.enabled:
        return None
    try:
        server = make(control)
    except (OSError, ValueError) as exc:
        log.error(why_not(control, exc))
        return None
    server.start()
    return server


def apply_control_change(api: ControlServer | None, old, new, make: Make) -> ControlServer | None:
    """The server to keep after ``control:`` changed from ``old`` to ``new``.

    A new token applies to the running server at once. A new address or port opens a new server
    and closes the old one; when the new one cannot open, the old one keeps serving (and the log
    says a restart is needed).
    """
    if old == new:
        return api
    if not new.enabled:
        if api is not None:
            api.stop()
            log.info(t("api_closed"))
        return None
    if api is None:
        return open_api(new, make)

    def failed(exc: Exception) -> ControlServer:
        error = why_not(new, exc) if isinstance(exc, OSError) else exc
        log.error(t("api_reload_failed", error=error, bind=old.bind, port=api.address[1]))
        return api

    if (new.bind, new.port) == (old.bind, old.port):
        if not is_loopback(new.bind) and not new.token:
            return failed(ValueError(t("control_needs_token", bind=new.bind)))
        api.token = new.token
        log.info(t("api_token_changed"))
        return api
    try:
        fresh = make(new)
    except ValueError as exc:
        return failed(exc)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE or new.port != old.port:
            return failed(exc)
        # the same port on another address: ours until the old server lets go of it
        api.stop()
        try:
            fresh = make(new)
        except OSError as again:
            try:
                back = make(old)
            except OSError as lost:
                log.error(t("api_lost", error=lost.strerror or lost))
                return None
            back.start()
            log.error(t("api_reload_failed", error=why_not(new, again), bind=old.bind, port=back.address[1]))
            return back
    fresh.start()
    api.stop()  # (again, when it was stopped above: harmless)
    log.info(t("api_reopened", host=fresh.address[0], port=fresh.address[1]))
    return fresh
