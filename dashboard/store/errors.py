"""What can go wrong with the store file: busy, a foreign schema version, a bad upload."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandera (and through it pandas) costs ~2 s to import: only where validating
    pass


class StoreError(RuntimeError):
    """A store problem the user can act on (message is safe to show)."""


class StoreBusy(StoreError):
    """Another process holds the write lock for longer than we are willing to wait."""


class StoreConflict(StoreBusy):
    """The server broke off a write that crossed another (a deadlock, a serialisation
    failure): rolled back whole, so it can simply be run again."""


class StoreVersionError(StoreError):
    """The file was written by a schema version this code cannot read."""
