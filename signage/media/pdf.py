"""PDF pages through pypdfium2, rendered at the display's size (PDFium is not thread-safe: one lock)."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from signage.media import MediaError

_LOCK = threading.Lock()


def _pdfium():
    import pypdfium2  # loaded with the first PDF (8 MB resident)

    return pypdfium2


def page_count(path: Path) -> int:
    pdfium = _pdfium()
    with _LOCK:
        try:
            doc = pdfium.PdfDocument(str(path))
        except (pdfium.PdfiumError, OSError) as exc:
            raise MediaError(f"cannot open PDF {Path(path).name}: {exc}") from None
        try:
            return len(doc)
        finally:
            doc.close()


def render_page(path: Path, index: int, size: tuple[int, int]) -> np.ndarray:
    """Page ``index`` (0-based) as RGB pixels, as large as fits in ``size``."""
    W, H = size
    pdfium = _pdfium()
    with _LOCK:
        try:
            doc = pdfium.PdfDocument(str(path))
        except (pdfium.PdfiumError, OSError) as exc:
            raise MediaError(f"cannot open PDF {Path(path).name}: {exc}") from None
        try:
            if not 0 <= index < len(doc):
                raise MediaError(f"{Path(path).name} has no page {index + 1}")
            page = doc[index]
            pw, ph = page.get_size()
            scale = min(W / pw, H / ph)
            bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255), rev_byteorder=True)
            pixels = np.array(bitmap.to_numpy()[:, :, :3])
            page.close()
            return pixels
        except pdfium.PdfiumError as exc:
            raise MediaError(f"cannot render page {index + 1} of {Path(path).name}: {exc}") from None
        finally:
            doc.close()
