"""Korean-first log lines of the running player that an operator reads (reloads, skips, actions)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "pl_reload_ignored": (
        "설정 변경을 적용하지 않았습니다 — 마지막으로 올바른 설정으로 계속 재생합니다:\n{problems}",
        "configuration change ignored; the last good configuration keeps playing:\n{problems}",
    ),
    "pl_reloaded": ("설정을 다시 읽었습니다 ({name})", "configuration reloaded ({name})"),
    "pl_campaigns_unreadable": (
        "홍보 캠페인을 {path}에서 읽을 수 없습니다: {error} — 지금까지의 캠페인으로 계속합니다",
        "cannot read campaigns from {path}: {error} — the campaigns so far stay",
    ),
    "pl_campaigns_reloaded": ("홍보 캠페인을 다시 읽었습니다 ({count}개)", "campaigns reloaded ({count})"),
    "pl_snapshot_failed": ("{wall} 스냅샷을 쓰지 못했습니다: {error}", "snapshot {wall} not written: {error}"),
    "pl_snapshot_back": ("{wall} 스냅샷을 다시 씁니다", "snapshot {wall} written again"),
    "pl_direct_failed": (
        "{wall}: 영상 프레임을 창에 바로 변환하지 못해 ({error}) 이제부터 변환된 화면을 복사해 보여 줍니다",
        "{wall}: video frames could not be converted into the window ({error}); their canvases are painted from now on",
    ),
    "pl_fit_failed": (
        "{wall}: 맞춰 그릴 영상 프레임을 창에 바로 축소·변환하지 못해 ({error}) 이제부터 변환된 화면을 복사해 보여 줍니다",
        "{wall}: fitted video frames could not be scaled into the window ({error}); their canvases are painted from now on",
    ),
    "pl_fallback": (
        "{wall}: {playlist}에 재생할 수 있는 항목이 없어 대체 화면을 보여 줍니다",
        "{wall}: nothing in {playlist} can play; showing the fallback",
    ),
    "pl_skip": ("{path}을(를) 건너뜁니다: {reason}", "skipping {path}: {reason}"),
    "pl_no_font": (
        "한글 글꼴이 없어 한글이 네모로 보일 수 있습니다 — fonts-nanum을 설치하세요",
        "no Korean font found; Hangul may show as boxes. Install fonts-nanum.",
    ),
    "pl_operator": ("운영자: {action} — {walls} ({by}){detail}", "operator: {action} on {walls} by {by}{detail}"),
    "pl_converting": ("운영자: {wall}에 올릴 {name}을(를) 변환합니다 ({by})",
                      "operator: converting {name} for {wall} (by {by})"),
    "pl_not_loaded": ("운영자: {name}을(를) {wall}에 올리지 못했습니다: {reason}",
                      "operator: {name} not loaded on {wall}: {reason}"),
}
