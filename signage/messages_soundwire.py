"""Korean and English texts for the operator's sound controls: console, `signage ctl`, the APIs and /live."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # Operations (every surface)
    "sound_none": (
        "소리가 설정되어 있지 않습니다 — config.yaml에 audio: 블록을 추가하세요",
        "sound is not set up — add an audio: block to config.yaml",
    ),
    "sound_bad_volume": (
        "음량은 0에서 100 사이의 숫자여야 합니다 (받은 값: {value})",
        "the volume must be a number from 0 to 100 (got {value})",
    ),
    "sound_bad_muted": (
        "muted는 true 또는 false여야 합니다 (받은 값: {value})",
        "muted must be true or false (got {value})",
    ),
    "sound_nothing": ("muted 또는 volume 중 하나는 주어야 합니다", "give muted or volume (or both)"),
    # signage ctl
    "ctl_volume_needs": ("음량을 0에서 100 사이로 주세요 (예: signage ctl volume 60)",
                         "give the volume from 0 to 100 (e.g. signage ctl volume 60)"),
    "ctl_done_mute": ("{walls}의 소리를 껐습니다 (음량 {volume}%는 그대로)", "sound off on {walls} (volume {volume}% kept)"),
    "ctl_done_unmute": ("{walls}의 소리를 켰습니다 (음량 {volume}%)", "sound on on {walls} (volume {volume}%)"),
    "ctl_done_volume": ("{walls}의 음량을 {volume}%로 맞췄습니다{muted}", "{walls} volume set to {volume}%{muted}"),
    "ctl_still_muted": (" — 소리는 아직 꺼져 있습니다", " — the sound is still off"),
    "ctl_sound_line": ("소리: {wall}, 음량 {volume}%, {state}", "sound: {wall}, volume {volume}%, {state}"),
    "ctl_sound_off_line": ("소리: 설정 없음 (모든 벽 무음)", "sound: not set up (every wall silent)"),
    "sound_state_on": ("켜짐", "on"),
    "sound_state_muted": ("꺼짐 (음소거)", "off (muted)"),
    "sound_state_no_output": ("출력 장치 없음 — 소리 없이 재생 중", "no output — playing silent"),
    # console
    "console_sound": ("소리", "Sound"),
    "console_sound_mute": ("🔇 소리 끄기", "🔇 Sound off"),
    "console_sound_unmute": ("🔊 소리 켜기", "🔊 Sound on"),
    "console_sound_wall": ("소리 나는 벽: {wall}", "Sounding wall: {wall}"),
    "console_sound_volume": ("음량 {volume}%", "Volume {volume}%"),
    "console_sound_muted": ("(꺼짐)", "(off)"),
    "console_sound_no_output": ("출력 장치 없음", "no output"),
    "action_mute": ("소리 끄기", "sound off"),
    "action_unmute": ("소리 켜기", "sound on"),
    "action_volume": ("음량", "volume"),
    # web /live
    "wl_sound": ("소리", "Sound"),
    "wl_sound_mute": ("🔇 소리 끄기", "🔇 Sound off"),
    "wl_sound_unmute": ("🔊 소리 켜기", "🔊 Sound on"),
    "wl_sound_volume": ("음량", "Volume"),
    "wl_sound_set": ("음량 적용", "Set volume"),
    "wl_sound_wall": ("소리 나는 벽: {wall}", "Sounding wall: {wall}"),
    "wl_sound_state_muted": ("소리 꺼짐", "sound off"),
    "wl_sound_state_on": ("소리 켜짐, 음량 {volume}%", "sound on, volume {volume}%"),
    "wl_sound_done_mute": ("소리를 껐습니다 ({wall})", "Sound off ({wall})"),
    "wl_sound_done_unmute": ("소리를 켰습니다 ({wall}, 음량 {volume}%)", "Sound on ({wall}, volume {volume}%)"),
    "wl_sound_done_volume": ("음량을 {volume}%로 맞췄습니다 ({wall})", "Volume set to {volume}% ({wall})"),
    "wl_sound_bad": ("음량은 0에서 100 사이의 숫자여야 합니다", "the volume must be a number from 0 to 100"),
}
