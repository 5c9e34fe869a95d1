"""The convert part of the benchmark makes its own presentation (no python-pptx needed)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from signage.perf.playback_bench import make_deck

DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"


def test_make_deck_writes_a_presentation_with_one_page_per_slide(tmp_path):
    """GIVEN nothing  WHEN a 3-slide deck is made  THEN it is OpenDocument XML with 3 pages, each
    with a photo, and a second call reuses the file."""
    deck = make_deck(tmp_path, slides=3)
    root = ET.parse(deck).getroot()
    pages = root.findall(f".//{DRAW}page")
    assert deck.suffix == ".fodp" and len(pages) == 3
    assert all(page.find(f".//{DRAW}image") is not None for page in pages)
    mtime = deck.stat().st_mtime_ns
    assert make_deck(tmp_path, slides=3).stat().st_mtime_ns == mtime
