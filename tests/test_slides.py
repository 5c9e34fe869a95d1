"""Slides: real Korean glyphs, wrapped at spaces, sized to the wall, nothing cut off on the pillar."""

from __future__ import annotations

import numpy as np
import pytest

from signage.config.models import Slide
from signage.display.fonts import korean_family
from signage.display.slides import render_slide
from signage.media.fit import to_rgb

BG = "#003366"


@pytest.fixture(autouse=True)
def app(qapp):
    return qapp


def ink(canvas: np.ndarray) -> np.ndarray:
    return (np.abs(to_rgb(canvas).astype(int) - (0, 0x33, 0x66)).sum(axis=2) > 60)


def test_a_korean_font_is_installed():
    assert korean_family() is not None, "install fonts-nanum (make does it when run as root)"


def test_hangul_glyphs_are_real_not_boxes(tmp_path):
    one = render_slide(Slide(title="한"), (400, 400), BG, tmp_path)
    two = render_slide(Slide(title="글"), (400, 400), BG, tmp_path)
    assert ink(one).sum() > 500
    assert (ink(one) != ink(two)).sum() > 200  # two different syllables: not the same "tofu" box


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (600, 3000)])
def test_text_fills_the_wall_and_stays_inside_the_margins(tmp_path, size):
    slide = Slide(title="창조홀 상시 개방", body="대관이 없을 때는 누구나 쉬어 가세요. 창조홀은 G밸리 근로자 모두의 공간입니다.")
    canvas = render_slide(slide, size, BG, tmp_path)
    mask = ink(canvas)
    w, h = size
    edge = int(0.05 * min(w, h))
    assert not mask[:, :edge].any() and not mask[:, -edge:].any()  # nothing cut off at the sides
    assert not mask[:edge].any() and not mask[-edge:].any()
    cols = np.where(mask.any(axis=0))[0]
    assert cols.max() - cols.min() > 0.6 * w  # sized to fill the width legibly


def test_text_colour_follows_the_background(tmp_path):
    dark_text = render_slide(Slide(title="후원"), (400, 200), "#ffffff", tmp_path)
    assert to_rgb(dark_text).min() < 60  # dark glyphs on white
