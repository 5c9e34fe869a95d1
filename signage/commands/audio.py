"""``signage audio-outputs``: the sound outputs the system lists, and which one config.yaml uses."""

from __future__ import annotations

import argparse
from pathlib import Path

from signage.commands.common import EXIT_BAD_INPUT, EXIT_OK
from signage.config.loader import load_hall
from signage.config.problems import ConfigError
from signage.i18n import t


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audio-outputs", help="소리 출력 장치 목록 / list the sound outputs")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from signage.audio.output import OutputError, closest, find_output, list_outputs

    audio = None
    if Path(args.config).is_file():
        try:
            audio = load_hall(args.config, check_assets=False).config.audio
        except ConfigError:
            audio = None  # `signage check` says what is wrong; the list is still useful
    try:
        server, outputs = list_outputs()
    except OutputError as exc:
        print(t("audio_no_library") if exc.kind == "library" else t("audio_outputs_no_server"))
        return EXIT_BAD_INPUT
    if not outputs:
        print(t("audio_outputs_none"))
    else:
        print(t("audio_outputs_head", server=server))
        chosen = find_output(audio.device, outputs) if audio and audio.device else None
        for out in outputs:
            used = audio is not None and (out is chosen or (audio.device is None and out.default))
            mark = "→" if used else ("*" if out.default else " ")
            print(t("audio_outputs_row", mark=mark, name=out.name, description=out.description))
    if audio is None:
        print(t("audio_outputs_off"))
        return EXIT_OK
    print(t("audio_outputs_config", display=audio.display, device=audio.device or t("audio_default"),
            volume=audio.volume))
    if audio.device and find_output(audio.device, outputs) is None:
        near = closest(audio.device, outputs)
        hint = t("did_you_mean", suggestion=near) if near else ""
        print(t("audio_outputs_config_missing", device=audio.device, hint=hint))
    return EXIT_OK
