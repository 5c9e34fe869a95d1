"""Hangul breaks at spaces, never inside a word."""

from signage.media.textwrap import wrap_words


def width(text: str) -> float:
    return sum(2 if ord(c) > 0x1100 else 1 for c in text)


def test_hangul_wraps_at_spaces_only():
    text = "대관이 없을 때는 누구나 쉬어 가세요"
    lines = wrap_words(text, 12, width)
    assert " ".join(lines) == text
    assert all(width(line) <= 12 for line in lines)
    words = set(text.split())
    assert all(set(line.split()) <= words for line in lines)  # no word was cut


def test_explicit_newlines_are_kept():
    assert wrap_words("첫 줄\n둘째 줄", 100, width) == ["첫 줄", "둘째 줄"]


def test_a_word_wider_than_the_line_is_broken_as_a_last_resort():
    lines = wrap_words("가나다라마바사아자차", 6, width)
    assert lines == ["가나다", "라마바", "사아자", "차"]
