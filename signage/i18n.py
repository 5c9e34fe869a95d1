"""Korean-first message catalogue.

Every user-facing sentence lives here as a (Korean, English) pair. The language comes from
``SIGNAGE_LANG`` (``ko`` or ``en``; Korean by default) or from ``set_language``.
"""

from __future__ import annotations

import os

from signage.messages_audio import MESSAGES as _AUDIO_MESSAGES
from signage.messages_control import MESSAGES as _CONTROL_MESSAGES
from signage.messages_fixes import MESSAGES as _FIXES_MESSAGES
from signage.messages_intake import MESSAGES as _INTAKE_MESSAGES
from signage.messages_live import MESSAGES as _LIVE_MESSAGES
from signage.messages_player import MESSAGES as _PLAYER_MESSAGES
from signage.messages_records import MESSAGES as _RECORDS_MESSAGES
from signage.messages_screens import MESSAGES as _SCREENS_MESSAGES
from signage.messages_soundwire import MESSAGES as _SOUNDWIRE_MESSAGES
from signage.messages_tenant import MESSAGES as _TENANT_MESSAGES
from signage.messages_web import MESSAGES as _WEB_MESSAGES
from signage.messages_webdesk import MESSAGES as _WEBDESK_MESSAGES
from signage.messages_weblive import MESSAGES as _WEBLIVE_MESSAGES

_LANG: str | None = None

MESSAGES: dict[str, tuple[str, str]] = {
    # YAML reading
    "file_missing": ("파일이 없습니다: {path}", "file does not exist: {path}"),
    "file_too_big": (
        "파일이 너무 큽니다 ({size} 바이트, 최대 {limit} 바이트) — 파일을 나누거나 줄이세요",
        "file is too large ({size} bytes, the limit is {limit}) — split or shorten it",
    ),
    "file_unreadable": ("파일을 읽을 수 없습니다: {error}", "cannot read the file: {error}"),
    "not_utf8": (
        "UTF-8 텍스트가 아닙니다 — 파일을 UTF-8로 저장하세요",
        "not UTF-8 text — save the file as UTF-8",
    ),
    "yaml_syntax": (
        "YAML 문법 오류: {problem} — 들여쓰기와 콜론(:) 뒤의 공백을 확인하세요",
        "not valid YAML: {problem} — check the indentation and the space after each colon",
    ),
    "yaml_hash_colour": (
        "따옴표 없는 #은 YAML에서 주석의 시작입니다 — 색은 \"#003366\"처럼 따옴표로 감싸세요",
        "an unquoted # starts a YAML comment — quote colours like \"#003366\"",
    ),
    "yaml_alias": (
        "YAML 별칭(*{name})은 허용되지 않습니다 — 값을 직접 적으세요",
        "YAML aliases (*{name}) are not allowed — write the value out in full",
    ),
    "yaml_tag": (
        "YAML 태그 {tag}은(는) 허용되지 않습니다 — 태그를 지우고 일반 값으로 적으세요",
        "YAML tag {tag} is not allowed — remove the tag and write a plain value",
    ),
    "yaml_duplicate_key": (
        "키 '{key}'가 중복되었습니다 (처음 나온 곳: {line}행) — 하나만 남기세요",
        "duplicate key '{key}' (first at line {line}) — keep only one",
    ),
    "yaml_complex_key": (
        "키는 일반 문자열이어야 합니다",
        "keys must be plain strings",
    ),
    "yaml_not_mapping": (
        "파일의 최상위는 키: 값 형식이어야 합니다",
        "the top level of the file must be a mapping of key: value",
    ),
    # schema
    "unknown_key": ("알 수 없는 키 '{key}'{hint}", "unknown key '{key}'{hint}"),
    "did_you_mean": (" — '{suggestion}'을(를) 의도했나요?", " — did you mean '{suggestion}'?"),
    "allowed_keys": (" — 쓸 수 있는 키: {keys}", " — allowed keys: {keys}"),
    "missing": ("필수 항목 '{key}'가 없습니다", "required key '{key}' is missing"),
    "wrong_type": (
        "{expected} 값이어야 합니다 (지금: {got})",
        "must be {expected} (got {got})",
    ),
    "unquoted_time": (
        "따옴표 없는 시각 {raw}은(는) YAML에서 숫자 {value}(으)로 읽힙니다 — \"{raw}\"처럼 따옴표로 감싸세요",
        "the unquoted time {raw} is read by YAML as the number {value} — quote it: \"{raw}\"",
    ),
    "unquoted_bool": (
        "따옴표 없는 {raw}은(는) YAML에서 참/거짓으로 읽힙니다 — \"{raw}\"처럼 따옴표로 감싸세요",
        "the unquoted {raw} is read by YAML as a boolean — quote it: \"{raw}\"",
    ),
    "bad_time": (
        "시각 '{value}'을(를) 읽을 수 없습니다 — \"HH:MM\" 형식으로 적으세요 (예: \"07:30\")",
        "cannot read the time '{value}' — write \"HH:MM\" (for example \"07:30\")",
    ),
    "bad_datetime": (
        "일시 '{value}'을(를) 읽을 수 없습니다 — \"YYYY-MM-DD HH:MM\" 형식으로 적으세요",
        "cannot read the date and time '{value}' — write \"YYYY-MM-DD HH:MM\"",
    ),
    "bad_date": (
        "날짜 '{value}'을(를) 읽을 수 없습니다 — \"YYYY-MM-DD\" 형식으로 적으세요",
        "cannot read the date '{value}' — write \"YYYY-MM-DD\"",
    ),
    "bad_duration": (
        "길이 '{value}'을(를) 읽을 수 없습니다 — 10s, 1m30s, 0.5s처럼 적으세요",
        "cannot read the duration '{value}' — write it like 10s, 1m30s or 0.5s",
    ),
    "duration_positive": ("길이는 0보다 커야 합니다", "a duration must be longer than zero"),
    "bad_weekday": (
        "알 수 없는 요일 '{value}'{hint} — mon, tue, wed, thu, fri, sat, sun 중에서 쓰세요",
        "unknown weekday '{value}'{hint} — use mon, tue, wed, thu, fri, sat, sun",
    ),
    "bad_transition": (
        "전환 효과 '{value}'을(를) 알 수 없습니다 — cut 또는 \"fade 0.5s\"처럼 쓰세요",
        "unknown transition '{value}' — write cut or \"fade 0.5s\"",
    ),
    "bad_choice": (
        "'{value}'은(는) 쓸 수 없습니다 — {choices} 중 하나를 쓰세요",
        "'{value}' is not allowed — use one of {choices}",
    ),
    "bad_colour": (
        "색 '{value}'을(를) 읽을 수 없습니다 — \"#003366\"처럼 따옴표로 감싼 16진수로 쓰세요",
        "cannot read the colour '{value}' — write a quoted hex colour such as \"#003366\"",
    ),
    "bad_size": (
        "크기는 [가로, 세로] 픽셀(각 1–16384)이어야 합니다",
        "size must be [width, height] in pixels (each 1–16384)",
    ),
    "bad_screen": (
        "screen은 Qt 화면 이름, 번호, 또는 [x, y, 너비, 높이]여야 합니다",
        "screen must be a Qt screen name, an index, or [x, y, width, height]",
    ),
    "bad_timezone": (
        "알 수 없는 시간대 '{value}' — Asia/Seoul처럼 쓰세요",
        "unknown time zone '{value}' — write it like Asia/Seoul",
    ),
    "bad_pages": (
        "페이지 '{value}'을(를) 읽을 수 없습니다 — 1-3 또는 \"1,3,5-7\"처럼 쓰세요",
        "cannot read the pages '{value}' — write 1-3 or \"1,3,5-7\"",
    ),
    "item_one_kind": (
        "항목마다 image, video, slide, pdf, folder 중 정확히 하나가 필요합니다 (지금: {found})",
        "each item needs exactly one of image, video, slide, pdf, folder (found: {found})",
    ),
    "items_empty": ("items가 비어 있습니다 — 항목을 하나 이상 넣으세요", "items is empty — add at least one item"),
    "same_start_end": (
        "시작과 끝이 같습니다 ({start}) — 끝 시각을 고치세요",
        "start and end are the same ({start}) — fix the end time",
    ),
    "end_before_start": (
        "끝({end})이 시작({start})보다 앞섭니다 — 끝을 시작 뒤로 고치세요",
        "the end ({end}) is before the start ({start}) — move the end after the start",
    ),
    "until_before_from": (
        "until({until})이 from({start})보다 앞섭니다",
        "until ({until}) is before from ({start})",
    ),
    "no_displays": (
        "displays가 비어 있습니다 — 적어도 하나의 디스플레이를 지정하세요",
        "displays is empty — name at least one display",
    ),
    "type_text": ("문자열", "text"),
    "type_int": ("정수", "a whole number"),
    "type_number": ("숫자", "a number"),
    "type_bool": ("true 또는 false", "true or false"),
    "type_mapping": ("키: 값 묶음", "a mapping of key: value"),
    "type_list": ("목록([...] 또는 - 항목)", "a list ([...] or - items)"),
    "type_pair": ("두 값의 목록 [가로, 세로]", "a list of two values [width, height]"),
    # cross checks
    "unknown_display": (
        "알 수 없는 디스플레이 '{name}'{hint} — 설정된 디스플레이: {known}",
        "unknown display '{name}'{hint} — configured displays: {known}",
    ),
    "unknown_playlist": (
        "플레이리스트 '{name}'이(가) 없습니다 ({path}){hint}",
        "playlist '{name}' does not exist ({path}){hint}",
    ),
    "no_default": (
        "디스플레이 '{name}'의 기본 플레이리스트가 없습니다 — schedule.default에 {name}: 을 추가하세요",
        "display '{name}' has no default playlist — add {name}: to schedule.default",
    ),
    "event_overlap": (
        "행사 '{a}'와(과) '{b}'({line}행)가 디스플레이 {display}에서 겹칩니다 — 시간을 조정하세요",
        "events '{a}' and '{b}' (line {line}) overlap on display {display} — move one of them",
    ),
    "control_needs_token": (
        "제어 API를 {bind}에 열려면 control.token이 필요합니다 — 토큰을 정하거나 bind를 127.0.0.1로 두세요",
        "binding the control API to {bind} needs control.token — set a token or keep bind: 127.0.0.1",
    ),
    "asset_missing": ("파일이 없습니다: {path}", "file does not exist: {path}"),
    "asset_not_dir": ("폴더가 아닙니다: {path}", "not a folder: {path}"),
    "asset_empty_dir": ("폴더에 이미지가 없습니다: {path}", "the folder has no images: {path}"),
    "asset_kind": (
        "{path}은(는) {kind}이(가) 아니라 {actual} 파일입니다 — 항목 종류를 {actual}(으)로 바꾸세요",
        "{path} holds {actual}, not {kind} — change the item type to {actual}",
    ),
    "asset_unknown_kind": (
        "{path}은(는) {kind} 파일이 아닙니다 (형식을 알 수 없음) — 변환하거나 다른 파일을 쓰세요",
        "{path} is not a {kind} file (unrecognised format) — convert it or use another file",
    ),
    # check / CLI output
    "check_ok": ("OK — {hall} ({tz}) 설정에 문제가 없습니다", "OK — {hall} ({tz}): no problems"),
    "check_display": (
        "  {name}: {w}x{h}, 화면 {screen}, 기본 {default}, 오늘 {slots}개 구간",
        "  {name}: {w}x{h}, screen {screen}, default {default}, {slots} slots today",
    ),
    "check_failed": ("문제 {count}개를 찾았습니다", "{count} problem(s) found"),
    "bad_cli_time": (
        "시각 '{value}'을(를) 읽을 수 없습니다 — \"2026-12-03 14:00\" 같은 ISO 8601로 쓰세요",
        "cannot read the time '{value}' — use ISO 8601 such as \"2026-12-03 14:00\"",
    ),
    "window_empty": ("--to는 --from 뒤여야 합니다", "--to must be after --from"),
    "run_headless": (
        "디스플레이 서버가 없어 화면 없이 실행합니다. 벽 스냅샷을 몇 초마다 {folder}에 씁니다 ({names}).",
        "No display server: running headless. Snapshots of the walls are written every few seconds to {folder} ({names}).",
    ),
    "ctl_needs_arg": ("{action}에는 대상이 필요합니다 (문구 또는 파일)", "{action} needs an argument (the text or the file)"),
    "ctl_no_player": (
        "플레이어에 연결할 수 없습니다 (포트 {port}): {error} — 'signage run'이 실행 중인지 확인하세요",
        "cannot reach the player (port {port}): {error} — is 'signage run' running?",
    ),
    "source_operator": ("운영자", "operator"),
    "btn_prev": ("◀ 이전", "◀ Prev"),
    "btn_next": ("다음 ▶", "Next ▶"),
    "btn_black": ("끄기", "Black"),
    "btn_freeze": ("정지", "Freeze"),
    "btn_logo": ("로고", "Logo"),
    "btn_resume": ("일정 복귀", "Resume"),
    "btn_message": ("긴급 안내", "Message"),
    "btn_deck": ("발표 자료", "Deck"),
    "console_all": ("모든 벽:", "All walls:"),
    "console_notice": ("긴급 안내", "Urgent notice"),
    "console_notice_hint": ("벽에 띄울 문구를 입력하세요", "Type the message to show on the walls"),
    "console_no_expiry": ("해제할 때까지", "until cleared"),
    "console_show": ("표시", "Show"),
    "console_clear": ("지우기", "Clear"),
    "console_load": ("발표 자료 열기…", "Load a deck…"),
    "console_loaded": ("{wall}에 {pages}쪽 자료를 올렸습니다", "{pages} pages loaded on {wall}"),
    "console_pick_wall": ("벽을 하나 이상 고르세요", "pick at least one wall"),
    "console_now": ("지금", "Now"),
    "console_next": ("다음", "Next"),
    "console_no_screen": (
        "운영 콘솔을 띄울 빈 화면이 없습니다 (모든 화면이 벽에 쓰임) — signage ctl로 제어하세요",
        "no free screen for the console (every screen feeds a wall) — use signage ctl",
    ),
    "col_display": ("디스플레이", "display"),
    "col_start": ("시작", "start"),
    "col_end": ("끝", "end"),
    "col_source": ("근거", "source"),
    "col_playlist": ("플레이리스트", "playlist"),
    "col_name": ("이름", "name"),
    "source_default": ("기본", "default"),
    "source_daypart": ("시간대", "daypart"),
    "source_event": ("행사", "event"),
    "source_dark": ("꺼짐", "dark"),
    # what people call the walls and the kinds of item (ids stay English in files and JSON)
    "wall_front": ("전면", "front"),
    "wall_rear": ("후면", "rear"),
    "wall_pillar": ("기둥", "pillar"),
    "kind_image": ("사진", "image"),
    "kind_video": ("영상", "video"),
    "kind_slide": ("슬라이드", "slide"),
    "kind_pdf": ("PDF", "PDF"),
    "kind_folder": ("사진 폴더", "photo folder"),
    "kind_fallback": ("대체 화면", "fallback"),
    "kind_dark": ("꺼짐", "dark"),
    "kind_deck": ("발표 자료", "deck"),
    "kind_promo": ("홍보 영상", "promo"),
    "displays_unknown": (
        "알 수 없는 화면: {unknown} — 쓸 수 있는 화면: {names} (여러 개는 front,pillar 처럼 쉼표로)",
        "unknown display {unknown}; displays: {names} (several as front,pillar)",
    ),
}

MESSAGES.update(_INTAKE_MESSAGES)
MESSAGES.update(_SCREENS_MESSAGES)
MESSAGES.update(_FIXES_MESSAGES)
MESSAGES.update(_CONTROL_MESSAGES)
MESSAGES.update(_RECORDS_MESSAGES)
MESSAGES.update(_LIVE_MESSAGES)
MESSAGES.update(_WEB_MESSAGES)
MESSAGES.update(_WEBLIVE_MESSAGES)
MESSAGES.update(_WEBDESK_MESSAGES)
MESSAGES.update(_AUDIO_MESSAGES)
MESSAGES.update(_PLAYER_MESSAGES)
MESSAGES.update(_TENANT_MESSAGES)
MESSAGES.update(_SOUNDWIRE_MESSAGES)


def language() -> str:
    if _LANG:
        return _LANG
    env = os.environ.get("SIGNAGE_LANG", "ko").lower()
    return "en" if env.startswith("en") else "ko"


def set_language(lang: str | None) -> None:
    global _LANG
    _LANG = None if lang is None else ("en" if lang.lower().startswith("en") else "ko")


def t(message_id: str, /, **kwargs: object) -> str:
    ko, en = MESSAGES[message_id]
    template = en if language() == "en" else ko
    return template.format(**kwargs)


def display_label(display: str) -> str:
    """The default name people read for a wall id (전면 for front); the id itself when unknown."""
    key = f"wall_{display}"
    return t(key) if key in MESSAGES else display


def kind_label(kind: str | None) -> str:
    """An item kind (image, video, slide, pdf, folder, fallback, …) in the current language."""
    key = f"kind_{kind}"
    return t(key) if key in MESSAGES else (kind or "—")


def split_displays(wanted, names) -> tuple[str, ...] | None:
    """``front,pillar`` / ``["front", "rear"]`` / ``all`` → wall ids in hall order; None for nothing
    given. Raises ``ValueError`` with the sentence to show when a name is unknown."""
    if wanted is None or wanted == "" or wanted == []:
        return None
    items = [wanted] if isinstance(wanted, str) else list(wanted)
    parts = [p.strip() for item in items for p in str(item).split(",") if p.strip()]
    if not parts:
        return None
    if "all" in parts:
        return tuple(names)
    unknown = [p for p in parts if p not in names]
    if unknown:
        raise ValueError(t("displays_unknown", unknown=", ".join(unknown), names=", ".join(names)))
    return tuple(n for n in names if n in parts)


def t_in(lang: str, message_id: str, /, **kwargs: object) -> str:
    """``message_id`` in a given language (``ko`` or ``en``), whatever the current one is."""
    ko, en = MESSAGES[message_id]
    return (en if lang == "en" else ko).format(**kwargs)
