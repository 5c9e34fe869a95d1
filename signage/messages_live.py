"""Korean and English texts of the live layer: operator commands, deck loading, the console."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # refusals of operator commands (console, clicker, control API, signage ctl)
    "live_bad_displays": ("벽은 이름, 이름 목록 또는 'all'로 주세요", "display must be a name, a list of names, or 'all'"),
    "live_bad_duration": ("시간 {value}을(를) 읽을 수 없습니다 — 10m 또는 90s처럼 쓰세요",
                          "cannot read the duration {value}; write it like 10m or 90s"),
    "live_duration_range": ("시간은 1초에서 7일 사이여야 합니다", "a duration must be between 1 second and 7 days"),
    "live_unknown_hold": ("알 수 없는 동작 {value} — 쓸 수 있는 것: {kinds}", "unknown hold {value}; holds: {kinds}"),
    "live_message_empty": ("안내 문구가 비어 있습니다", "the message is empty"),
    "live_message_long": ("안내 문구가 {length}자입니다 — 최대 {limit}자까지 됩니다",
                          "the message is {length} characters; the limit is {limit}"),
    "live_need_path": ("올릴 자료의 경로를 주세요", "give the deck's path"),
    "live_one_wall": ("자료는 한 번에 벽 하나에만 올릴 수 있습니다", "load a deck on one display at a time"),
    "live_path_missing": ("{path}이(가) 없습니다", "{path} does not exist"),
    "live_folder_empty": ("폴더 {path}에 사진이 없습니다", "the folder {path} has no images"),
    "live_not_deck": (
        "{name}은(는) 발표 자료가 아닙니다 — PDF, 프레젠테이션(.pptx) 또는 사진 폴더를 여세요",
        "{name} is not a deck: load a PDF, a presentation (.pptx) or a folder of images",
    ),
    "live_no_office": (
        "{name}은(는) 프레젠테이션인데 변환할 LibreOffice가 없습니다 — PDF로 내보내거나 LibreOffice를 "
        "설치하세요 (apt-get install libreoffice-impress)",
        "{name} is a presentation and LibreOffice is not installed to convert it; export it as PDF, or "
        "install LibreOffice (apt-get install libreoffice-impress)",
    ),
    "live_deck_empty": ("{name}에는 보여 줄 수 있는 쪽이 없습니다", "nothing in {name} can be shown"),
    # converting a presentation
    "live_convert_failed": ("LibreOffice가 {name}을(를) 변환하지 못했습니다: {error}",
                            "LibreOffice could not convert {name}: {error}"),
    "live_convert_no_pdf": ("LibreOffice가 {name}에서 PDF를 만들지 못했습니다", "LibreOffice produced no PDF for {name}"),
    "live_convert_timeout": ("{name} 변환이 {seconds:.0f}초 안에 끝나지 않아 멈췄습니다",
                             "converting {name} took over {seconds:.0f} s and was stopped"),
    "live_exit_code": ("종료 코드 {code}", "exit code {code}"),
    "ctl_converting": ("{walls} 화면에 올릴 {deck}을(를) 변환하고 있습니다 — 끝나면 바로 나옵니다 (signage ctl status)",
                       "converting {deck} for {walls}; it shows as soon as it is ready (signage ctl status)"),
    # the console
    "console_open_deck": ("발표 자료 열기…", "Open a deck…"),
    "console_open_photos": ("사진 폴더 열기…", "Open a photo folder…"),
    "console_deck_files": ("발표 자료 (*.pdf *.pptx *.ppt *.odp *.fodp *.key)",
                           "Decks (*.pdf *.pptx *.ppt *.odp *.fodp *.key)"),
    "console_converting": ("{wall}: {name} 변환 중… (벽은 계속 재생합니다)", "{wall}: converting {name}… (the walls play on)"),
    "console_load_failed": ("{wall}: 자료를 올리지 못했습니다 — {reason}", "{wall}: the deck was not loaded — {reason}"),
    "console_load_cancelled": ("{wall}: {name} 올리기를 취소했습니다", "{wall}: loading {name} was cancelled"),
    "console_rehearsal": (
        "리허설 — 벽은 연습 시각으로 재생하며, 실제 재생 기록에는 남지 않습니다",
        "Rehearsal — the walls play a practice time; nothing goes into the real proof of play",
    ),
    "console_screen_missing": ("화면 없음: {screen}", "no screen: {screen}"),
    "console_clicker": ("리모컨: {wall}", "Clicker: {wall}"),
    "console_deck_page": ("{name} {page}/{pages}쪽", "{name} page {page}/{pages}"),
    "action_release": ("해제", "released"),
    "action_load": ("자료 올림", "deck loaded"),
    "action_unload": ("자료 내림", "deck unloaded"),
    "action_expired": ("시간 만료", "expired"),
    "by_console": ("콘솔", "console"),
    "by_clicker": ("리모컨", "clicker"),
    "by_system": ("자동", "system"),
    "console_queue_error": ("대기열을 읽지 못했습니다: {error}", "cannot read the queue: {error}"),
}
