"""Line breaking for slides: Hangul and Latin break at spaces only, never inside a word.

Qt's own word wrap follows UAX #14, which allows a break between any two Hangul syllables; Korean
signage text is set "keep-all" (break at spaces), so we break lines ourselves. ``measure`` gives a
string's width; only a single word wider than a whole line is broken by character, as a last
resort (the slide layout shrinks the font first).
"""

from __future__ import annotations

from collections.abc import Callable


def wrap_words(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split()
        if not words:
            lines.append("")
            continue
        line = ""
        for word in words:
            candidate = f"{line} {word}" if line else word
            if measure(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            if measure(word) <= width:
                line = word
            else:
                pieces = _break_word(word, width, measure)
                lines.extend(pieces[:-1])
                line = pieces[-1]
        lines.append(line)
    return lines


def longest_word_fits(text: str, width: float, measure: Callable[[str], float]) -> bool:
    return all(measure(word) <= width for word in text.split())


def _break_word(word: str, width: float, measure: Callable[[str], float]) -> list[str]:
    pieces, current = [], ""
    for char in word:
        if current and measure(current + char) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    pieces.append(current)
    return pieces
