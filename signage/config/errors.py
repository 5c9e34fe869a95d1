"""Turn pydantic validation errors into positioned ``Problem`` lines users can act on."""

from __future__ import annotations

import difflib
import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from signage.config.problems import Problem
from signage.config.yamlsrc import Loc, Source
from signage.i18n import MESSAGES, t

_TYPE_NAMES = {
    "string_type": "type_text",
    "int_type": "type_int",
    "int_parsing": "type_int",
    "int_from_float": "type_int",
    "float_type": "type_number",
    "float_parsing": "type_number",
    "bool_type": "type_bool",
    "bool_parsing": "type_bool",
    "dict_type": "type_mapping",
    "model_type": "type_mapping",
    "model_attributes_type": "type_mapping",
    "list_type": "type_list",
    "tuple_type": "type_list",
    "too_short": "type_pair",
    "too_long": "type_pair",
}


def suggestion_hint(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return t("did_you_mean", suggestion=close[0]) if close else ""


def _real_loc(loc: tuple[Any, ...], data: Any) -> Loc:
    """Drop the parts pydantic adds for unions and validators (``str``, ``function-before[...]``)."""
    out: list[str | int] = []
    for part in loc:
        if isinstance(data, dict) and part in data or isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
            out.append(part)
        elif isinstance(data, dict) and isinstance(part, str) and part == loc[-1] and part.isidentifier():
            out.append(part)  # a missing key: keep it for the message
    return tuple(out)


def _shown(value: Any, raw: str | None) -> str:
    if raw is not None:
        return raw if raw else "null"
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "[…]"
    return repr(value)


def _model_in(tp: Any) -> type[BaseModel] | None:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    origin = get_origin(tp)
    if origin is Annotated:
        return _model_in(get_args(tp)[0])
    if origin in (Union, types.UnionType):
        for arg in get_args(tp):
            found = _model_in(arg)
            if found:
                return found
    return None


def _step(tp: Any, part: str | int) -> Any:
    model = _model_in(tp)
    if model is not None and isinstance(part, str):
        for name, info in model.model_fields.items():
            if part in (name, info.alias):
                return info.annotation
        return None
    origin, args = get_origin(tp), get_args(tp)
    if origin is Annotated:
        return _step(args[0], part)
    if origin in (Union, types.UnionType):
        for arg in args:
            if arg is not type(None) and (found := _step(arg, part)) is not None:
                return found
        return None
    if origin is dict:
        return args[1]
    if origin in (tuple, list):
        return args[0]
    return None


def allowed_keys(root: type[BaseModel], loc: Loc) -> list[str]:
    """The keys a user may write in the mapping at ``loc`` of a ``root`` document."""
    tp: Any = root
    for part in loc:
        tp = _step(tp, part)
        if tp is None:
            return []
    model = _model_in(tp)
    return [info.alias or name for name, info in model.model_fields.items()] if model else []


def problems_from(exc: ValidationError, source: Source, root: type[BaseModel]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[Loc] = set()
    for err in exc.errors(include_url=False):
        loc = _real_loc(err["loc"], source.data)
        code, ctx = err["type"], err.get("ctx") or {}
        if code == "extra_forbidden" and loc:
            key, allowed = loc[-1], allowed_keys(root, loc[:-1])
            hint = suggestion_hint(str(key), allowed) or (
                t("allowed_keys", keys=", ".join(allowed)) if allowed else ""
            )
            problems.append(source.problem(loc, t("unknown_key", key=key, hint=hint), key=True))
            continue
        if loc in seen:
            continue  # one message per place; unions report each member
        seen.add(loc)
        problems.append(source.problem(loc, _message(code, ctx, err, source, loc)))
    return problems


def _message(code: str, ctx: dict, err: dict, source: Source, loc: Loc) -> str:
    raw = source.raw.get(loc)
    if code in ("unquoted_time", "unquoted_bool"):
        return t(code, raw=raw if raw is not None else ctx.get("value"), value=ctx.get("value"))
    if code == "bad_weekday":
        hint = t("did_you_mean", suggestion=ctx["suggestion"]) if ctx.get("suggestion") else ""
        return t(code, value=ctx.get("value"), hint=hint)
    if code == "missing":
        return t("missing", key=loc[-1] if loc else "?")
    if code in MESSAGES:
        return t(code, **ctx)
    if code in _TYPE_NAMES:
        if raw is not None and raw.lower() in ("yes", "no", "on", "off", "y", "n"):
            return t("unquoted_bool", raw=raw)
        return t("wrong_type", expected=t(_TYPE_NAMES[code]), got=_shown(err.get("input"), raw))
    return err["msg"]
