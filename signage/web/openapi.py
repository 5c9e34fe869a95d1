"""The OpenAPI 3.1 document of ``/api/v1`` (written out: the API is small and Starlette has none)."""

from __future__ import annotations

from signage import __version__
from signage.web.openapi_tenant import PATHS as TENANT_PATHS

_ASSIGN = {"oneOf": [
    {"type": "string", "description": "playlist name (advanced by time)"},
    {"type": "object", "required": ["playlist"], "properties": {
        "playlist": {"type": "string"}, "advance": {"enum": ["auto", "manual"]}}},
]}
_EVENT_IN = {"type": "object", "required": ["name", "start", "end", "displays"], "properties": {
    "name": {"type": "string"},
    "start": {"type": "string", "example": "2026-12-03 14:00", "description": "in the hall's time zone"},
    "end": {"type": "string", "example": "2026-12-03 17:30"},
    "displays": {"type": "object", "additionalProperties": _ASSIGN, "example": {"front": {"playlist": "ir-deck", "advance": "manual"}, "rear": "ir-stage"}},
}}
_EVENT = {"allOf": [{"type": "object", "properties": {"id": {"type": "integer", "description": "place in schedule.events"}}}, _EVENT_IN]}
_PROBLEMS = {"type": "object", "properties": {"error": {"type": "string"}, "problems": {"type": "array", "items": {
    "type": "object", "properties": {"file": {"type": "string"}, "line": {"type": "integer"},
                                     "col": {"type": "integer"}, "message": {"type": "string"}}}}}}
_SLOT = {"type": "object", "properties": {
    "display": {"type": "string"}, "start": {"type": "string", "format": "date-time"},
    "end": {"type": "string", "format": "date-time"}, "playlist": {"type": ["string", "null"]},
    "source": {"enum": ["default", "daypart", "event", "dark"]}, "name": {"type": ["string", "null"]},
    "advance": {"enum": ["auto", "manual"]}}}
_TIMELINE = {"type": "object", "properties": {
    "timezone": {"type": "string"}, "from": {"type": "string"}, "to": {"type": "string"},
    "slots": {"type": "array", "items": _SLOT}}}
_AUDIT = {"type": "object", "properties": {"entries": {"type": "array", "items": {"type": "object", "properties": {
    "id": {"type": "integer"}, "at": {"type": "number"}, "when": {"type": "string"}, "user": {"type": ["string", "null"]},
    "action": {"type": "string"}, "detail": {"type": "string"}, "address": {"type": "string"}}}}}}


_PLAYLIST_IN = {"type": "object", "required": ["items"], "description": "The playlist as in playlists/<id>.yaml",
                "properties": {
    "name": {"type": "string"}, "accepts_promos": {"type": "boolean"},
    "defaults": {"type": "object", "example": {"duration": "10s", "fit": "contain", "transition": "fade 0.5s"}},
    "items": {"type": "array", "items": {"type": "object", "description": "one of image|video|pdf|folder|slide, "
                                                                           "with duration, fit, transition, pages, background"},
              "example": [{"image": "assets/photos/hall.jpg", "fit": "cover"}, {"video": "assets/clips/gvalley.mp4"}]},
    "version": {"type": "string", "description": "the version you read; a changed file answers 409 (also If-Match)"}}}
_USE = {"type": "object", "properties": {"source": {"enum": ["default", "daypart", "event"]}, "name": {"type": "string"},
                                          "walls": {"type": "array", "items": {"type": "string"}}, "when": {"type": "string"}}}
_PLAYLIST = {"allOf": [_PLAYLIST_IN, {"type": "object", "properties": {
    "id": {"type": "string"}, "version": {"type": "string"}, "used_in": {"type": "array", "items": _USE}}}]}
_MEDIA = {"type": "object", "properties": {
    "path": {"type": "string"}, "folder": {"type": "string"}, "name": {"type": "string"},
    "kind": {"enum": ["image", "video", "pdf", None]}, "size": {"type": "integer"}, "width": {"type": ["integer", "null"]},
    "height": {"type": ["integer", "null"]}, "duration_s": {"type": ["number", "null"]}, "pages": {"type": ["integer", "null"]},
    "label": {"type": "string", "description": "the uploaded name (never used as a path)"},
    "used_by": {"type": "array", "items": {"type": "string"}}, "events": {"type": "array", "items": {"type": "string"}}}}
_JOB = {"type": ["object", "null"], "properties": {
    "state": {"enum": ["conforming", "done", "failed"]}, "progress": {"type": "number"}, "display": {"type": "string"},
    "message": {"type": "string"}, "campaign": {"type": ["integer", "null"]}}}
_SUBMISSION = {"type": "object", "properties": {
    "id": {"type": "integer"}, "tenant": {"type": "string"}, "filename": {"type": "string"},
    "status": {"enum": ["refused", "pending", "approved", "rejected", "withdrawn"]}, "received": {"type": "string"},
    "decided": {"type": ["string", "null"]}, "kind": {"type": ["string", "null"]}, "note": {"type": ["string", "null"]},
    "facts": {"type": "object"}, "reasons": {"type": "array", "items": {"type": "string"}},
    "duplicate_of": {"type": ["integer", "null"]}, "sheet": {"type": ["string", "null"]},
    "campaigns": {"type": "array", "items": {"type": "object"}}, "job": _JOB}}
_APPROVE = {"type": "object", "required": ["displays"], "properties": {
    "displays": {"type": "array", "items": {"type": "string"}, "example": ["pillar"]},
    "from": {"type": "string", "format": "date", "description": "default today"},
    "until": {"type": "string", "format": "date", "description": "default four weeks on"},
    "per_hour": {"type": "integer", "minimum": 1, "maximum": 60, "default": 2}}}
_REFUSED = {"type": "object", "properties": {"error": {"type": "string"}, "message": {"type": "string"}}}
_NAME = [{"name": "name", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"}}]


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ID = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]
_ERRORS = {"401": {"description": "no or unknown token"}, "404": {"description": "no such object (or not yours)"}}


def document() -> dict:
    from signage.web.openapi_live import PATHS as LIVE_PATHS

    doc = {
        "openapi": "3.1.0",
        "info": {"title": "signage serve API", "version": __version__,
                 "description": "The Changjo Hall's schedule. Times are in the hall's time zone unless an offset is given."},
        "servers": [{"url": "/api/v1"}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
        "paths": {
            "/timeline": {"get": {
                "summary": "The resolved slots of a window (as `signage timeline --format json`)",
                "parameters": [
                    {"name": "from", "in": "query", "schema": {"type": "string"}, "example": "2026-12-03 00:00"},
                    {"name": "to", "in": "query", "schema": {"type": "string"}},
                    {"name": "display", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                ],
                "responses": {"200": _json(_TIMELINE), "400": {"description": "bad time or display"}, **_ERRORS}}},
            "/events": {
                "get": {"summary": "Every event in config.yaml", "responses": {
                    "200": _json({"type": "object", "properties": {"events": {"type": "array", "items": _EVENT}}}), **_ERRORS}},
                "post": {"summary": "Add an event (refused with the check's problems when it would break the hall)",
                         "requestBody": {"content": {"application/json": {"schema": _EVENT_IN}}},
                         "responses": {"201": _json(_EVENT, "created"), "422": _json(_PROBLEMS, "refused"), **_ERRORS}}},
            "/events/{id}": {
                "get": {"parameters": _ID, "responses": {"200": _json(_EVENT), **_ERRORS}},
                "put": {"parameters": _ID, "requestBody": {"content": {"application/json": {"schema": _EVENT_IN}}},
                        "responses": {"200": _json(_EVENT), "409": {"description": "config.yaml changed meanwhile"},
                                      "422": _json(_PROBLEMS, "refused"), **_ERRORS}},
                "delete": {"parameters": _ID, "responses": {"204": {"description": "deleted"}, **_ERRORS}}},
            "/playlists": {"get": {"summary": "Every playlist with its length and where the schedule uses it",
                                   "responses": {"200": _json({"type": "object", "properties": {"playlists": {"type": "array", "items": {
                                       "type": "object"}}}}), **_ERRORS}}},
            "/playlists/{name}": {
                "get": {"parameters": _NAME, "responses": {"200": _json(_PLAYLIST), **_ERRORS}},
                "put": {"summary": "Replace (or create) a playlist; refused with the check's problems when it would break the hall",
                        "parameters": _NAME, "requestBody": {"content": {"application/json": {"schema": _PLAYLIST_IN}}},
                        "responses": {"200": _json(_PLAYLIST), "201": _json(_PLAYLIST, "created"),
                                      "409": _json(_REFUSED, "changed meanwhile"), "422": _json(_PROBLEMS, "refused"), **_ERRORS}}},
            "/media": {
                "get": {"summary": "The files under assets/ with their facts and where they are used",
                        "responses": {"200": _json({"type": "object", "properties": {"media": {"type": "array", "items": _MEDIA}}}), **_ERRORS}},
                "post": {"summary": "Upload media (checked by content, size caps, pixel limit; stored under a generated name)",
                         "requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object", "properties": {
                             "file": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}}},
                         "responses": {"201": _json({"type": "object", "properties": {
                             "uploaded": {"type": "array", "items": {"type": "object"}},
                             "refused": {"type": "array", "items": _REFUSED}}}, "uploaded"),
                             "207": {"description": "some uploaded, some refused"}, "422": {"description": "all refused"}, **_ERRORS}}},
            "/review": {"get": {"summary": "The promo review queue (status=pending by default; all, approved, …)",
                                "parameters": [{"name": "status", "in": "query", "schema": {"type": "string"}}],
                                "responses": {"200": _json({"type": "object", "properties": {"submissions": {"type": "array", "items": _SUBMISSION}}}), **_ERRORS}}},
            "/review/{id}": {"get": {"parameters": _ID, "responses": {"200": _json(_SUBMISSION), **_ERRORS}}},
            "/review/{id}/approve": {"post": {
                "summary": "Approve: conforms the clip in the background (poll GET /review/{id}, its job)",
                "parameters": _ID, "requestBody": {"content": {"application/json": {"schema": _APPROVE}}},
                "responses": {"202": _json(_SUBMISSION, "conforming started"), "422": _json(_REFUSED, "refused"), **_ERRORS}}},
            "/review/{id}/reject": {"post": {
                "parameters": _ID, "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object", "required": ["reason"], "properties": {"reason": {"type": "string"}}}}}},
                "responses": {"200": _json(_SUBMISSION), "422": _json(_REFUSED, "refused"), **_ERRORS}}},
            "/review/{id}/withdraw": {"post": {
                "parameters": _ID, "responses": {"200": _json(_SUBMISSION), "422": _json(_REFUSED, "refused"), **_ERRORS}}},
            "/audit": {"get": {
                "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}},
                               {"name": "before", "in": "query", "schema": {"type": "integer"}}],
                "responses": {"200": _json(_AUDIT), **_ERRORS}}},
            **TENANT_PATHS,
        },
    }
    doc["paths"].update(LIVE_PATHS)
    return doc
