"""Korean and English texts for the control API, ``signage ctl`` and the one-player-per-hall lock."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # the API's answers (code in the JSON says which; ctl words them in its own language)
    "api_unauthorized": (
        "토큰이 없거나 맞지 않습니다 — 'Authorization: Bearer <토큰>' 헤더를 보내세요",
        "missing or wrong token — send 'Authorization: Bearer <token>'",
    ),
    "api_wrong_hall": (
        "이 플레이어는 다른 홀을 재생합니다: {name} ({config})",
        "this player plays another hall: {name} ({config})",
    ),
    "api_not_found": ("없는 주소입니다 — 제어 API는 /api/ 아래에 있습니다",
                      "not found; the API is under /api/"),
    "api_unknown_command": ("알 수 없는 명령 '{command}' — 쓸 수 있는 명령: {commands}",
                            "unknown command '{command}'; commands: {commands}"),
    "api_use_post": ("명령은 POST로 보내세요 (GET은 status, hall, snapshot만)",
                     "use POST for commands (GET is for status, hall and snapshot)"),
    "api_too_large": ("요청 본문이 {limit}바이트를 넘습니다", "the body is over {limit} bytes"),
    "api_bad_utf8": ("요청 본문이 UTF-8 텍스트가 아닙니다", "the body is not UTF-8 text"),
    "api_bad_json": ("요청 본문이 올바른 JSON이 아닙니다: {error}", "the body is not valid JSON: {error}"),
    "api_not_object": ("요청 본문은 JSON 객체여야 합니다 (예: {{\"display\": \"rear\"}})",
                       "the body must be a JSON object (e.g. {{\"display\": \"rear\"}})"),
    "api_no_display": ("display가 비어 있습니다 — 화면 이름, 목록, 또는 \"all\"을 주세요",
                       "display is empty — give a wall, a list of walls, or \"all\""),
    "api_busy": ("플레이어가 제때 답하지 못했습니다 — 잠시 뒤 다시 하세요", "the player is busy; try again"),
    "api_no_frame": ("{display} 화면은 아직 그려진 장면이 없습니다", "{display} has no frame yet"),
    "api_bad_width": ("width는 16–16384 사이의 정수여야 합니다", "width must be a whole number from 16 to 16384"),
    # the API in the player's log
    "api_started": ("제어 API: http://{host}:{port}/api/", "control API on http://{host}:{port}/api/"),
    "api_port_in_use": (
        "제어 API를 열지 못했습니다: 포트 {port}({bind})를 이미 다른 프로그램이 쓰고 있습니다. "
        "화면은 계속 재생합니다. 다른 포트를 쓰려면 config.yaml에 control: {{port: {other}}}처럼 적으세요",
        "control API not started: port {port} ({bind}) is already in use. The walls play on. "
        "To use another port, set control: {{port: {other}}} in config.yaml",
    ),
    "api_not_started": (
        "제어 API를 열지 못했습니다 ({bind}:{port}): {error} — 화면은 계속 재생합니다",
        "control API not started ({bind}:{port}): {error} — the walls play on",
    ),
    "api_reopened": ("제어 API 설정이 바뀌어 새 주소로 다시 열었습니다: http://{host}:{port}/api/",
                     "control settings changed; the control API now listens on http://{host}:{port}/api/"),
    "api_token_changed": ("제어 API 토큰이 바뀌었습니다 — 지금부터 새 토큰만 받습니다",
                          "the control API token changed; only the new one is accepted from now on"),
    "api_closed": ("control.enabled가 false여서 제어 API를 닫았습니다",
                   "control.enabled is false: the control API is closed"),
    "api_reload_failed": (
        "제어 API 설정 변경을 적용하지 못했습니다: {error} — 이전 설정(http://{bind}:{port}/api/)으로 계속 받습니다. "
        "적용하려면 플레이어를 다시 시작하세요",
        "the control settings change could not be applied: {error} — the API keeps listening on "
        "http://{bind}:{port}/api/; restart the player to apply it",
    ),
    "api_lost": (
        "제어 API를 새 설정으로도, 이전 설정으로도 열지 못했습니다: {error} — 화면은 계속 재생합니다. "
        "플레이어를 다시 시작하세요",
        "the control API could not be reopened with the new or the old settings: {error} — the walls "
        "play on; restart the player",
    ),
    # one player per hall
    "lock_held": (
        "이 홀의 플레이어가 이미 실행 중입니다 — PID {pid}, {since}부터, 설정 {config} (제어 포트 {port}). "
        "한 홀에는 플레이어 하나만 실행합니다: 그 플레이어를 먼저 끄거나 'signage ctl'로 제어하세요",
        "a player is already running for this hall — PID {pid}, since {since}, config {config} "
        "(control port {port}). One player per hall: stop it first, or control it with 'signage ctl'",
    ),
    "lock_held_unknown": (
        "이 홀의 플레이어가 이미 실행 중입니다 (잠금 파일 {path}) — 한 홀에는 플레이어 하나만 실행합니다",
        "a player is already running for this hall (lock file {path}) — one player per hall",
    ),
    "lock_unavailable": (
        "잠금 파일 {path}을(를) 만들 수 없습니다: {error} — var/ 폴더에 쓸 수 있는지 확인하세요",
        "cannot create the lock file {path}: {error} — check that var/ is writable",
    ),
    "lock_unnamed": (
        "잠금 파일 {path}에 실행 중인 플레이어 정보를 쓸 수 없습니다: {error} — 잠금은 유지됩니다",
        "cannot write who holds the lock into {path}: {error} — the lock holds all the same",
    ),
    # signage ctl: what happened, as a sentence
    "ctl_done_black": ("{walls} 화면을 껐습니다", "{walls}: blacked out"),
    "ctl_done_freeze": ("{walls} 화면을 지금 장면에서 멈췄습니다", "{walls}: frozen on the current frame"),
    "ctl_done_logo": ("{walls} 화면에 로고를 띄웠습니다", "{walls}: showing the logo"),
    "ctl_done_message": ("{walls} 화면에 안내 문구를 띄웠습니다", "{walls}: showing the message"),
    "ctl_done_resume": ("{walls} 화면을 일정대로 되돌렸습니다", "{walls}: back on the schedule"),
    "ctl_done_release": ("{walls} 화면의 운영자 조작을 풀고 그 아래 화면으로 되돌렸습니다",
                         "{walls}: the hold is lifted; back to what was under it"),
    "ctl_done_next": ("{walls} 화면을 다음으로 넘겼습니다", "{walls}: moved to the next"),
    "ctl_done_prev": ("{walls} 화면을 이전으로 돌렸습니다", "{walls}: moved back to the previous"),
    "ctl_done_load": ("{walls} 화면에 발표 자료 {deck}({pages}쪽)를 올렸습니다",
                      "{walls}: deck {deck} loaded ({pages} pages)"),
    "ctl_until": (" — {time}에 일정으로 돌아갑니다", " — back on the schedule at {time}"),
    "ctl_wrong_token": (
        "토큰이 맞지 않습니다 — config.yaml의 control.token을 확인하세요",
        "the token is wrong — check control.token in config.yaml",
    ),
    "ctl_wrong_hall": (
        "포트 {port}에서 다른 홀의 플레이어가 답했습니다: {name} ({config}). 이 설정({mine})의 플레이어가 "
        "아니므로 아무것도 하지 않았습니다 — 두 홀의 control.port를 다르게 하세요",
        "another hall's player answered on port {port}: {name} ({config}), not the player of {mine}; "
        "nothing was done — give the two halls different control.port values",
    ),
    "ctl_not_player": (
        "포트 {port}에서 답한 것은 이 홀의 플레이어가 아닙니다 — config.yaml의 control.port를 확인하세요",
        "what answered on port {port} is not this hall's player — check control.port in config.yaml",
    ),
    "ctl_refused": ("플레이어가 거절했습니다: {error}", "the player refused: {error}"),
    "ctl_rehearsal": ("리허설 중 (시계를 옮겨 재생 중)", "rehearsal (shifted clock)"),
    "ctl_page": ("{page}쪽", "p.{page}"),
    "op_black": ("꺼짐", "black"),
    "op_freeze": ("정지", "frozen"),
    "op_logo": ("로고", "logo"),
    "op_message": ("안내", "message"),
    "op_deck": ("발표 자료", "deck"),
    "ctl_op_until": ("~{time}", "until {time}"),
}
