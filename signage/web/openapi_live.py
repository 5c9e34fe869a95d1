"""The OpenAPI paths of the live powers (``routes/liveapi.py``), merged into ``openapi.document``."""

from __future__ import annotations

_WALLS = ["front", "rear", "pillar"]
_DISPLAY = {"name": "display", "in": "path", "required": True, "schema": {"type": "string"}, "example": "front"}
_ERR = {"type": "object", "properties": {"error": {"type": "string"}, "message": {"type": "string"}}}
_ITEM = {"type": ["object", "null"], "properties": {
    "kind": {"type": ["string", "null"], "description": "image, video, slide, pdf, folder, fallback, dark, freeze, …"},
    "label": {"type": ["string", "null"], "description": "the file's name"},
    "path": {"type": ["string", "null"]}, "page": {"type": ["integer", "null"]}}}
_HOLD = {"type": ["object", "null"], "properties": {
    "kind": {"enum": ["black", "freeze", "logo", "message"]}, "since": {"type": "string"},
    "until": {"type": ["string", "null"]}, "by": {"type": "string"}, "text": {"type": "string"},
    "style": {"enum": ["notice", "urgent"]}}}
_WALL = {"type": "object", "properties": {
    "label": {"type": "string", "example": "전면"}, "size": {"type": "array", "items": {"type": "integer"}},
    "source": {"enum": ["default", "daypart", "event", "dark", "operator", None]},
    "playlist": {"type": ["string", "null"]}, "name": {"type": ["string", "null"], "description": "the event's or daypart's name"},
    "item": _ITEM, "hold": _HOLD,
    "deck": {"type": ["object", "null"], "properties": {"name": {"type": "string"}, "path": {"type": "string"},
                                                         "page": {"type": "integer"}, "pages": {"type": "integer"}}},
    "loading": {"type": ["object", "null"], "properties": {"state": {"enum": ["converting", "loaded", "failed", "cancelled"]},
                                                            "pages": {"type": ["integer", "null"]}, "reason": {"type": ["string", "null"]}}},
    "next": {"type": ["object", "null"], "properties": {"start": {"type": "string"}, "playlist": {"type": ["string", "null"]},
                                                         "source": {"type": "string"}, "name": {"type": ["string", "null"]}}},
    "missing_screen": {"type": ["string", "null"], "example": "HDMI-1"},
    "clicker": {"type": "boolean", "description": "the wall the clicker (and a command without a wall) drives"},
    "snapshot": {"type": "string"}}}
_WALLS_OUT = {"type": "object", "properties": {
    "player": {"type": "boolean"}, "at": {"type": "string"}, "hall": {"type": "string"},
    "rehearsal": {"type": "boolean"}, "clicker": {"type": "string"},
    "walls": {"type": "object", "additionalProperties": _WALL},
    "audio": {"type": "object", "description": "the hall's sound; only enabled when config.yaml has an audio: block",
              "properties": {"enabled": {"type": "boolean"}, "display": {"type": "string", "example": "front"},
                             "volume": {"type": "integer", "minimum": 0, "maximum": 100},
                             "muted": {"type": "boolean"}, "output_ok": {"type": "boolean"}}}}}
_DONE = {"type": "object", "properties": {"ok": {"type": "boolean"}, "action": {"type": "string"},
                                          "displays": {"type": "array", "items": {"enum": _WALLS}}}}
_DOWN = {"503": {"description": "the player is not running", "content": {"application/json": {"schema": _ERR}}}}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


PATHS = {
    "/walls": {"get": {
        "summary": "What every wall shows now, from the running player",
        "responses": {"200": _json(_WALLS_OUT), **_DOWN}}},
    "/walls/{display}/snapshot.png": {"get": {
        "summary": "The wall's picture now (PNG)",
        "parameters": [_DISPLAY, {"name": "width", "in": "query", "schema": {"type": "integer", "minimum": 16, "maximum": 3840}}],
        "responses": {"200": {"description": "PNG", "content": {"image/png": {}}}, **_DOWN}}},
    "/walls/{display}/{action}": {"post": {
        "summary": "A button: next, prev, black, freeze, logo or resume, on one wall, several (front,pillar) or all",
        "parameters": [{**_DISPLAY, "description": "a wall, front,pillar, or all"},
                       {"name": "action", "in": "path", "required": True,
                        "schema": {"enum": ["next", "prev", "black", "freeze", "logo", "resume"]}}],
        "responses": {"200": _json(_DONE), "404": _json(_ERR, "unknown wall"), "400": _json(_ERR, "unknown action"), **_DOWN}}},
    "/walls/{display}/deck": {"post": {
        "summary": "Upload a deck and load it on the wall: one PDF, one PowerPoint/OpenDocument presentation, or several photos",
        "parameters": [_DISPLAY],
        "requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object", "properties": {
            "files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}}},
        "responses": {"200": _json({"type": "object", "properties": {
            "state": {"enum": ["loaded"]}, "pages": {"type": "integer"}, "saved": {"type": "string"},
            "kind": {"enum": ["pdf", "presentation", "photos"]}}}, "loaded"),
            "202": _json({"type": "object", "properties": {"state": {"enum": ["converting"]}}},
                         "a presentation being converted: watch walls[display].loading"),
            "422": _json(_ERR, "refused (type, size, or the player cannot show it)"), **_DOWN}}},
    "/notices": {
        "post": {"summary": "Show a notice: 안내 (notice, navy) or 긴급 (urgent, red)",
                 "requestBody": {"content": {"application/json": {"schema": {"type": "object", "required": ["text"], "properties": {
                     "text": {"type": "string", "maxLength": 500},
                     "style": {"enum": ["notice", "urgent"], "default": "urgent"},
                     "displays": {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}],
                                  "default": "all", "example": ["front", "pillar"]},
                     "for": {"type": "string", "example": "10m", "description": "until cleared when absent"}}}}}},
                 "responses": {"200": _json(_DONE), "400": _json(_ERR), **_DOWN}},
        "delete": {"summary": "Clear the notices (other holds and decks stay)",
                   "parameters": [{"name": "display", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}],
                   "responses": {"200": _json(_DONE), **_DOWN}}},
    "/sound": {"post": {
        "summary": "The hall's sound: mute or unmute, and/or set the volume (each change is an operator action)",
        "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
            "muted": {"type": "boolean"}, "volume": {"type": "integer", "minimum": 0, "maximum": 100}},
            "minProperties": 1, "example": {"muted": False, "volume": 60}}}}},
        "responses": {"200": _json({"type": "object", "properties": {
            "ok": {"type": "boolean"}, "action": {"enum": ["mute", "unmute", "volume"]},
            "displays": {"type": "array", "items": {"enum": _WALLS}}, "muted": {"type": "boolean"},
            "volume": {"type": "integer"}}}),
            "400": _json(_ERR, "muted not a boolean, volume not 0-100, or neither given"),
            "409": _json(_ERR, "config.yaml has no audio: block"), **_DOWN}}},
}
