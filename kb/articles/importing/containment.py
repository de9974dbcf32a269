"""What an import may read: files whose real path (every symbolic link followed) is inside the
real path of the imported folder, and nothing inside kb's data directory, which holds the
secret key, the database and the stored files.

The imported folder itself may be reached through a symbolic link: it is resolved once, and
everything read must stay inside what it resolves to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app


def data_directory() -> Path:
    """The real path of kb's data directory."""
    return Path(current_app.config["DATA_DIR"]).resolve()


def data_directory_refusal(path: Path) -> str | None:
    """Why a folder or file named for import may not be read, None when it may."""
    data_dir = data_directory()
    if path.resolve().is_relative_to(data_dir):
        return f"this is inside kb's data directory {data_dir}, which an import never reads"
    return None


@dataclass(frozen=True)
class FolderBounds:
    """The real path of an imported folder, and kb's data directory which is never read."""

    root: Path
    data_dir: Path

    @classmethod
    def of(cls, root: Path) -> FolderBounds:
        return cls(root.resolve(), data_directory())

    def refusal(self, path: Path, what: str) -> str | None:
        """Why ``what`` (``path``) may not be read, or None when its real path is inside the
        folder and outside the data directory."""
        real = path.resolve()
        if not real.is_relative_to(self.root):
            return (f"{what} leads outside the imported folder {self.root} (to {real}); an"
                    " import reads nothing outside it")
        if real.is_relative_to(self.data_dir):
            return (f"{what} leads into kb's data directory {self.data_dir}, which an import"
                    " never reads")
        return None

    def is_data_directory(self, path: Path) -> bool:
        return path.resolve() == self.data_dir
