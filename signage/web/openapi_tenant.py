"""The tenant part of the OpenAPI document: submissions, tus uploads, proof of play."""

from __future__ import annotations


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERR = {"401": {"description": "no or unknown token"},
        "404": {"description": "no such object, or another company's (tenant logins only)"}}
_TUS_HEADERS = {"Tus-Resumable": {"schema": {"type": "string", "const": "1.0.0"}}}
_CAMPAIGN = {"type": ["object", "null"], "properties": {
    "id": {"type": "integer"}, "displays": {"type": "array", "items": {"type": "string"}},
    "first_day": {"type": "string", "format": "date"}, "last_day": {"type": "string", "format": "date"},
    "per_hour": {"type": "integer"}, "withdrawn": {"type": ["string", "null"]}}}
_SUBMISSION = {"type": "object", "properties": {
    "id": {"type": "integer"}, "filename": {"type": "string"}, "received": {"type": "string"},
    "status": {"enum": ["refused", "pending", "approved", "rejected", "live", "ended", "withdrawn"]},
    "kind": {"type": ["string", "null"]}, "reasons": {"type": "array", "items": {"type": "string"},
                                                       "description": "the same sentences as `signage probe`"},
    "facts": {"type": "object"}, "size_bytes": {"type": ["integer", "null"]}, "note": {"type": ["string", "null"]},
    "campaign": _CAMPAIGN}}
_ROW = {"type": "object", "properties": {k: {"type": "integer"} for k in (
    "campaign", "planned_plays", "plays", "completed", "cut_short", "failed", "playing")} | {
    "date": {"type": "string"}, "display": {"type": "string"}, "tenant": {"type": "string"},
    "title": {"type": "string"}, "airtime_s": {"type": "number"}, "planned_airtime_s": {"type": "number"}}}
_UID = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"}}]
_SID = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]

PATHS = {
    "/submissions": {"get": {
        "summary": "The company's own submissions (web uploads and files staff dropped in its inbox folder)",
        "responses": {"200": _json({"type": "object", "properties": {
            "submissions": {"type": "array", "items": _SUBMISSION}}}), **_ERR}}},
    "/submissions/{id}": {"get": {"parameters": _SID, "responses": {"200": _json(_SUBMISSION), **_ERR}}},
    "/uploads/": {
        "post": {"summary": "tus 1.0 creation: Upload-Length and Upload-Metadata (filename, optional portrait_for)",
                 "parameters": [{"name": "Upload-Length", "in": "header", "required": True, "schema": {"type": "integer"}},
                                {"name": "Upload-Metadata", "in": "header", "schema": {"type": "string"}}],
                 "responses": {"201": {"description": "created; Location and Upload-Expires", "headers": _TUS_HEADERS},
                               "400": {"description": "a bad name or metadata"},
                               "413": {"description": "over the size cap or the company's quota"},
                               "429": {"description": "too many unfinished uploads"}, **_ERR}},
        "options": {"summary": "tus discovery (Tus-Version, Tus-Extension)", "security": [],
                    "responses": {"204": {"description": "capabilities"}}}},
    "/uploads/{id}": {
        "head": {"parameters": _UID, "responses": {"200": {"description": "Upload-Offset, Upload-Length"}, **_ERR}},
        "patch": {"parameters": _UID, "summary": "tus 1.0 core: append at Upload-Offset; the last byte starts intake",
                  "requestBody": {"content": {"application/offset+octet-stream": {"schema": {
                      "type": "string", "format": "binary"}}}},
                  "responses": {"204": {"description": "new Upload-Offset"}, "409": {"description": "wrong offset"},
                                "415": {"description": "HTML, SVG or text, whatever the name"}, **_ERR}},
        "delete": {"parameters": _UID, "summary": "tus termination",
                   "responses": {"204": {"description": "gone"}, **_ERR}}},
    "/reports/plays": {"get": {
        "summary": "Proof of play of the company's campaigns per day and wall (only days that have passed)",
        "parameters": [{"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
                       {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}}],
        "responses": {"200": _json({"type": "object", "properties": {
            "from": {"type": "string"}, "to": {"type": "string"}, "until": {"type": "string"},
            "tenant": {"type": "string"}, "rows": {"type": "array", "items": _ROW}}}),
            "400": {"description": "bad dates"}, **_ERR}}},
}
