"""Media → pixels, without Qt: images (Pillow), video (PyAV/FFmpeg), PDF pages (pypdfium2), fitting.

Every function returns numpy arrays; a display canvas is ``uint8[H, W, 4]`` in B, G, R, 255 byte
order, the memory layout of ``QImage.Format_RGB32`` (see ``fit.py``), so the Qt side paints it
without converting.
"""


class MediaError(Exception):
    """A file that cannot be shown; the message is the reason (for the log and the play record)."""
