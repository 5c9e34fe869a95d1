"""Media → pixels, without Qt: images (Pillow), video (OpenCV), PDF pages (pypdfium2), fitting.

Every function returns numpy arrays; a display canvas is ``uint8[H, W, 3]`` in RGB order, the
memory layout of ``QImage.Format_RGB888``, so the Qt side wraps it without converting.
"""


class MediaError(Exception):
    """A file that cannot be shown; the message is the reason (for the log and the play record)."""
