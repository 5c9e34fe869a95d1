"""A playlist expanded into steps: one per image, video, slide, PDF page or folder image."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from signage.config.models import Item, Playlist, Slide
from signage.playback.catalog import Catalog


@dataclass(frozen=True)
class Step:
    item_index: int
    kind: str  # image, video, slide, pdf
    path: Path | None
    page: int | None  # 0-based PDF page
    duration: float
    fit: str
    transition: tuple[str, float]
    background: str
    slide: Slide | None = None
    loop: bool = False  # a video given a duration longer than the clip loops
    campaign: int | None = None  # a tenant promo woven in by a campaign

    @property
    def key(self) -> tuple:
        """Identity for caches: two steps with the same key look the same."""
        return (self.kind, str(self.path), self.page, self.fit, self.background, self.slide)

    @property
    def label(self) -> str:
        if self.kind == "slide":
            return f"slide: {self.slide.title if self.slide else ''}"
        page = f" p.{self.page + 1}" if self.page is not None else ""
        return f"{self.kind}: {self.path.name if self.path else ''}{page}"

    def to_json(self, root: Path) -> dict:
        path = None
        if self.path is not None:
            try:
                path = str(self.path.relative_to(root))
            except ValueError:
                path = str(self.path)
        return {
            "type": self.kind,
            "path": path,
            "index": self.item_index,
            "page": None if self.page is None else self.page + 1,
        }


def expand(playlist: Playlist, root: Path, catalog: Catalog) -> list[Step]:
    """Every playable step, in order; unplayable ones are left out (and logged once by the catalog)."""
    steps: list[Step] = []
    for index, item in enumerate(playlist.items):
        steps.extend(_item_steps(index, item, playlist, root, catalog))
    return steps


def _asset(root: Path, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else root / path


def _item_steps(index: int, item: Item, playlist: Playlist, root: Path, catalog: Catalog) -> list[Step]:
    d = playlist.defaults
    common = {
        "item_index": index,
        "fit": item.fit or d.fit,
        "transition": item.transition or d.transition,
        "background": item.background or d.background,
    }
    duration = item.duration or d.duration
    kind = item.kind
    if kind == "slide":
        background = item.slide.background or item.background or d.background
        return [Step(kind="slide", path=None, page=None, duration=duration, slide=item.slide,
                     **{**common, "background": background})]
    if kind == "folder":
        return [
            Step(kind="image", path=p, page=None, duration=duration, **common)
            for p in catalog.folder(_asset(root, item.folder))
        ]
    path = _asset(root, item.path)
    if kind == "image":
        return [Step(kind="image", path=path, page=None, duration=duration, **common)] if catalog.usable(path) else []
    if kind == "video":
        length = catalog.video_length(path)
        if not length:
            return []
        if item.duration:
            return [Step(kind="video", path=path, page=None, duration=item.duration,
                         loop=item.duration > length + 0.05, **common)]
        return [Step(kind="video", path=path, page=None, duration=length, **common)]
    pages = catalog.pdf_pages(path)
    if not pages:
        return []
    wanted = item.pages or tuple(range(1, pages + 1))
    return [
        Step(kind="pdf", path=path, page=n - 1, duration=duration, **common)
        for n in wanted
        if n <= pages
    ]
