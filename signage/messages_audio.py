"""Korean and English texts for sound: the player's log lines about the speakers, and `signage audio-outputs`."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "audio_no_library": (
        "소리를 낼 수 없습니다: PulseAudio 클라이언트 라이브러리(libpulse)가 없습니다 — 화면은 소리 없이 계속 재생합니다",
        "no sound: the PulseAudio client library (libpulse) is missing — the walls keep playing, silent",
    ),
    "audio_no_server": (
        "소리 서버(PulseAudio/PipeWire)에 연결할 수 없습니다 — 화면은 소리 없이 계속 재생하고, 서버가 돌아오면 소리도 돌아옵니다",
        "cannot reach the sound server (PulseAudio/PipeWire) — the walls keep playing, silent; sound returns with the server",
    ),
    "audio_no_device": (
        "소리 출력 장치 '{device}'이(가) 없습니다{hint} — 화면은 소리 없이 계속 재생하고, 장치가 연결되면 소리도 돌아옵니다",
        "the sound output '{device}' is not there{hint} — the walls keep playing, silent; sound returns when it is connected",
    ),
    "audio_lost": (
        "소리 출력 {device}이(가) 끊겼습니다 ({error}) — 화면은 계속 재생하고, 출력이 돌아오면 소리도 돌아옵니다",
        "the sound output {device} was lost ({error}) — the walls keep playing; sound returns with the output",
    ),
    "audio_back": ("소리 출력이 돌아왔습니다: {device}", "sound output is back: {device}"),
    "audio_bad_track": (
        "{name}의 소리를 읽을 수 없습니다 ({error}) — 이 영상은 소리 없이 재생합니다",
        "cannot read the sound of {name} ({error}) — this clip plays silent",
    ),
    "audio_default": ("시스템 기본 출력", "the system default"),
    # signage audio-outputs
    "audio_outputs_head": ("소리 출력 장치 ({server}):", "sound outputs ({server}):"),
    "audio_outputs_row": ("  {mark} {name}  — {description}", "  {mark} {name}  — {description}"),
    "audio_outputs_no_server": (
        "소리 서버(PulseAudio/PipeWire)에 연결할 수 없습니다 — 서버가 실행 중인지 확인하세요 (예: pactl info)",
        "cannot reach the sound server (PulseAudio/PipeWire) — check that it is running (e.g. pactl info)",
    ),
    "audio_outputs_none": ("소리 출력 장치가 없습니다", "no sound outputs"),
    "audio_outputs_config": (
        "config.yaml의 audio: 소리는 {display} 벽을 따라가고, 출력은 {device} (음량 {volume}%)",
        "config.yaml audio: sound follows the {display} wall, output {device} (volume {volume}%)",
    ),
    "audio_outputs_config_missing": (
        "주의: config.yaml의 출력 '{device}'이(가) 목록에 없습니다{hint}",
        "note: the output '{device}' in config.yaml is not listed{hint}",
    ),
    "audio_outputs_off": (
        "config.yaml에 audio: 설정이 없어 벽은 소리를 내지 않습니다",
        "config.yaml has no audio: block, so the walls make no sound",
    ),
}
