"""A shadow of the hall folder: the real files seen through symbolic links, with a few replaced.

A candidate configuration (a new event, its generated playlists, its uploaded files) is checked
and previewed in a shadow, by the very loader and compositor ``signage check`` and ``signage
preview`` use, before anything in the real hall changes. Only the folders on the way to a
replaced file are real directories in the shadow; everything else links to the real thing.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path, PurePosixPath

Replacement = str | Path  # text to write, or a path to link to


class Shadow:
    def __init__(self, real_root: Path, replacements: dict[str, Replacement]):
        self.real_root = real_root.absolute()
        self.root = Path(tempfile.mkdtemp(prefix="signage-shadow-"))
        tree: dict = {}
        for rel, what in replacements.items():
            parts = PurePosixPath(rel).parts
            if not parts or ".." in parts or PurePosixPath(rel).is_absolute():
                raise ValueError(rel)
            node = tree
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = what
        self._build(self.real_root, self.root, tree)

    def _build(self, real: Path, shadow: Path, node: dict) -> None:
        shadow.mkdir(parents=True, exist_ok=True)
        if real.is_dir():
            for child in real.iterdir():
                if child.name not in node:
                    (shadow / child.name).symlink_to(child)
        for name, what in node.items():
            if isinstance(what, dict):
                self._build(real / name, shadow / name, what)
            elif isinstance(what, Path):
                (shadow / name).symlink_to(what.absolute())
            else:
                (shadow / name).write_text(what, encoding="utf-8")

    def real_label(self, file: str) -> str:
        """A problem's file as a path in the real hall (``config.yaml``, ``playlists/x.yaml``)."""
        try:
            return Path(file).absolute().relative_to(self.root).as_posix()
        except ValueError:
            try:
                return Path(file).absolute().relative_to(self.real_root).as_posix()
            except ValueError:
                return file

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Shadow:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
