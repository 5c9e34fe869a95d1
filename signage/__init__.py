"""LED signage content scheduler for the Changjo Hall (G밸리 기업시민청 창조홀)."""

__version__ = "0.1.0"
