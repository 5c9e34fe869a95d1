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


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ID = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]
_ERRORS = {"401": {"description": "no or unknown token"}, "404": {"description": "no such object (or not yours)"}}


def document() -> dict:
    return {
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
            "/audit": {"get": {
                "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}},
                               {"name": "before", "in": "query", "schema": {"type": "integer"}}],
                "responses": {"200": _json(_AUDIT), **_ERRORS}}},
            **TENANT_PATHS,
        },
    }
