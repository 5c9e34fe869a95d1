"""Accept or refuse: the configured promo rules applied to the facts a probe found."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from signage.config.models import PromoConfig
from signage.i18n import t, t_in
from signage.intake.sandbox import Limits, SandboxError, run_child


@dataclass(frozen=True)
class Reason:
    id: str
    args: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str | None = None) -> str:
        return t(self.id, **self.args) if lang is None else t_in(lang, self.id, **self.args)

    def both(self) -> str:
        return f"{self.text('ko')} / {self.text('en')}"


@dataclass(frozen=True)
class Verdict:
    facts: dict[str, Any]
    reasons: tuple[Reason, ...]

    @property
    def ok(self) -> bool:
        return not self.reasons

    def to_json(self, lang: str | None = None) -> dict:
        f = self.facts
        return {
            "path": f.get("path"), "ok": self.ok, "kind": f.get("kind"),
            "width": f.get("width"), "height": f.get("height"), "duration_s": f.get("duration_s"),
            "fps": f.get("fps"), "frames": f.get("frames"), "audio": bool(f.get("audio")),
            "reasons": [r.text(lang) for r in self.reasons],
            "container": f.get("container"), "codec": f.get("codec"), "rotation": f.get("rotation"),
            "decodes": bool(f.get("decodes")), "size_bytes": f.get("size_bytes"), "sha256": f.get("sha256"),
            "header_duration_s": f.get("header_duration_s"),
        }


def _mb(n: int | None) -> float:
    return (n or 0) / 1_000_000


def judge(facts: dict[str, Any], rules: PromoConfig) -> tuple[Reason, ...]:
    """Every reason to refuse, in the order a tenant should fix them."""
    R = Reason
    error = facts.get("error")
    kind = facts.get("kind")
    w, h = facts.get("width") or 0, facts.get("height") or 0
    if error == "empty":
        return (R("r_empty"),)
    if error == "memory":
        return (R("r_memory", {"limit_mb": rules.probe_memory_mb}),)
    if error == "not_media" or (kind is None and error):
        return (R("r_not_media"),)
    if error == "incomplete":
        return (R("r_incomplete"),)
    if kind == "pdf":
        return (R("r_pdf"),)
    if error == "no_video":
        return (R("r_no_video"),)
    if error == "too_many_pixels":
        return (R("r_too_many_pixels", {"width": w, "height": h, "mp": w * h / 1e6,
                                        "limit": rules.max_image_pixels / 1e6}),)
    reasons: list[Reason] = []
    if error == "too_large" or (w and h and max(w, h) > rules.max_side):
        reasons.append(R("r_too_large", {"width": w, "height": h, "limit": rules.max_side}))
    if kind == "image":
        if not rules.images:
            return (R("r_images_off"),)
        if error:
            return (R("r_undecodable"),)
        if min(w, h) < rules.min_lines:
            reasons.append(R("r_too_few_lines", {"width": w, "height": h, "limit": rules.min_lines}))
        return tuple(reasons)
    if rules.containers and facts.get("container") not in rules.containers:
        reasons.append(R("r_container", {"container": facts.get("container"), "allowed": ", ".join(rules.containers)}))
    if rules.codecs and facts.get("codec") not in rules.codecs:
        reasons.append(R("r_codec", {"codec": facts.get("codec"), "allowed": ", ".join(rules.codecs)}))
    if error == "too_large":
        return tuple(reasons)
    if w and h and min(w, h) < rules.min_lines:
        reasons.append(R("r_too_few_lines", {"width": w, "height": h, "limit": rules.min_lines}))
    duration = facts.get("duration_s") or 0.0
    header = facts.get("header_duration_s")
    if error == "decode_failed":
        reasons.append(R("r_decode_failed", {"at": duration}))
    elif error:
        reasons.append(R("r_undecodable"))
    elif header and not facts.get("partly_decoded") and duration < header - max(0.5, 0.05 * header):
        reasons.append(R("r_truncated", {"decoded": duration, "header": header}))
    if duration > rules.max_duration + 0.5:
        reasons.append(R("r_too_long", {"duration": duration, "limit": rules.max_duration}))
    elif duration and duration < rules.min_duration - 0.05 and not error and not any(
            r.id == "r_truncated" for r in reasons):
        reasons.append(R("r_too_short", {"duration": duration, "limit": rules.min_duration}))
    return tuple(reasons)


def limits(rules: PromoConfig) -> Limits:
    return Limits(timeout_s=rules.probe_timeout, memory_mb=rules.probe_memory_mb)


def probe_file(path: Path, rules: PromoConfig) -> Verdict:
    """Probe ``path`` in a disposable child process and judge it by ``rules``."""
    args = ["probe", str(path), "--decode-limit", str(rules.max_duration + 2),
            "--max-side", str(rules.max_side), "--max-image-pixels", str(rules.max_image_pixels)]
    try:
        facts = run_child(args, limits(rules))
    except SandboxError as exc:
        facts = {"path": str(path), "error": exc.code, "detail": exc.detail}
        if exc.code == "timeout":
            reason = Reason("r_timeout", {"limit": rules.probe_timeout})
        elif exc.code == "memory":
            reason = Reason("r_memory", {"limit_mb": rules.probe_memory_mb})
        else:
            reason = Reason("r_crashed", {"detail": exc.detail})
        return Verdict(facts, (reason,))
    return Verdict(facts, judge(facts, rules))
