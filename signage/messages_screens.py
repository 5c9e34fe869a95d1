"""Korean and English texts about screens: where each wall goes, why one shows nowhere, and
``signage screens``."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # one line per wall, in the log and in `signage screens`
    "screen_on": ("{wall} → 화면 {screen} ({w}x{h}, {x},{y})", "{wall} → screen {screen} ({w}x{h} at {x},{y})"),
    "screen_on_region": ("{wall} → 화면 {screen} 안의 영역 ({w}x{h}, {x},{y})",
                         "{wall} → a region of screen {screen} ({w}x{h} at {x},{y})"),
    "screen_same_name": (" — 이름이 {name}인 화면이 {count}개({indices})라 쓰이지 않은 첫 화면 #{index}을(를) 골랐습니다. "
                         "정확히 고르려면 config.yaml에 screen: {index}처럼 번호를 적으세요",
                         " — {count} screens are named {name} ({indices}); took the first one not in use, #{index}. "
                         "To choose one, write its index in config.yaml: screen: {index}"),
    "screen_missing": ("{wall}: 화면 {wanted}이(가) 없습니다 — 지금 있는 화면: {names}. 화면이 돌아오면 이 벽이 다시 나옵니다",
                       "{wall}: screen {wanted} is missing — screens now: {names}. The wall shows nothing until it returns"),
    "screen_region_missing": ("{wall}: 영역 {wanted}을(를) 담은 화면이 없습니다 — 지금 있는 화면: {screens}",
                              "{wall}: no screen contains the region {wanted} — screens now: {screens}"),
    "screen_unset": ("{wall}: config.yaml에 screen이 없어 이 벽은 어느 화면에도 나오지 않습니다 — screen: HDMI-1처럼 적으세요",
                     "{wall}: config.yaml gives no screen, so the wall shows nowhere — add one, e.g. screen: HDMI-1"),
    "screen_taken": ("{wall}: 화면 {wanted}은(는) 이미 {other}이(가) 쓰고 있어 이 벽은 나오지 않습니다 — 한 화면은 한 벽만 씁니다. "
                     "config.yaml의 screen을 고치세요 (큰 화면 하나를 나눠 쓰려면 겹치지 않는 [x, y, w, h] 영역으로)",
                     "{wall}: screen {wanted} already feeds {other}, so this wall shows nowhere — one screen feeds one "
                     "wall; fix screen in config.yaml (to share one large screen, give non-overlapping [x, y, w, h] regions)"),
    "screen_region_overlap": ("{wall}: 영역 {wanted}이(가) {other}이(가) 쓰는 화면·영역과 겹쳐 이 벽은 나오지 않습니다 — "
                              "config.yaml에서 겹치지 않게 고치세요",
                              "{wall}: the region {wanted} overlaps the screen or region {other} uses, so this wall shows "
                              "nowhere — make them not overlap in config.yaml"),
    "screens_none": ("(없음)", "(none)"),
    "screen_unnamed": ("(이름 없음)", "(unnamed)"),
    # signage screens
    "screens_platform": ("Qt 플랫폼: {platform}", "Qt platform: {platform}"),
    "screens_no_server": ("디스플레이 서버가 없습니다 (DISPLAY·WAYLAND_DISPLAY 없음) — 아래는 Qt offscreen 플랫폼의 가짜 화면이며 "
                          "실제 화면이 아닙니다. 벽이 연결된 컴퓨터의 데스크톱에서 다시 실행하세요",
                          "no display server (no DISPLAY or WAYLAND_DISPLAY) — below are the fake screens of Qt's offscreen "
                          "platform, not real ones. Run this again on the desktop of the computer the walls are plugged into"),
    "screens_fake": ("offscreen 플랫폼: {source}의 가짜 화면입니다 (실제 화면이 아님)",
                     "offscreen platform: fake screens from {source} (not real ones)"),
    "screens_fake_default": ("offscreen 플랫폼: Qt 기본 가짜 화면입니다 (실제 화면이 아님)",
                             "offscreen platform: Qt's default fake screen (not a real one)"),
    "screens_header": ("Qt가 보는 화면 {count}개:", "{count} screens Qt sees:"),
    "screens_col_index": ("번호", "index"),
    "screens_col_name": ("이름", "name"),
    "screens_col_size": ("크기", "size"),
    "screens_col_position": ("위치", "position"),
    "screens_col_primary": ("주 화면", "primary"),
    "screens_primary_mark": ("예", "yes"),
    "screens_walls": ("벽 {count}개 ({config}):", "{count} walls ({config}):"),
    "screens_no_config": ("설정 파일 {path}이(가) 없어 벽 연결은 보여 주지 않습니다",
                          "no configuration file {path}, so the walls' mapping is not shown"),
    "screens_all_ok": ("모든 벽이 화면에 연결됩니다", "every wall has its screen"),
    "screens_some_missing": ("벽 {count}개가 화면에 나오지 않습니다: {walls}", "{count} walls show nowhere: {walls}"),
}
