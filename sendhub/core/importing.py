"""What every import shares, so a small upload cannot cost much: rows streamed, counted and capped,
zips judged by their directory before anything is unpacked, and problem lists of bounded length.

Used by the local offer's feed import (sendhub/directory/feeds.py) and the waiting-list import
(sendhub/waits/services.py); docs/security.md, "Imports".
"""

import bisect
import io
import zipfile

from django.conf import settings

from . import filechecks

SHOW_PROBLEMS = 100
# A zip of CSV files: unpacked at most this much in all, and no member packed more tightly than this.
MAX_UNZIPPED = 50 * 1024 * 1024
MAX_RATIO = 100
RATIO_FROM = 64 * 1024  # ...for members bigger than this: real CSV packs 5 to 20 times, a bomb hundreds


def max_rows() -> int:
    return settings.SENDHUB_IMPORT_MAX_ROWS


class TooManyRows(Exception):
    """More rows than SENDHUB_IMPORT_MAX_ROWS: the import stops reading at once."""

    def __init__(self, limit: int):
        super().__init__(f"more than {limit:,} rows")
        self.limit = limit


class RowBudget:
    """Counts rows across every file of one import and stops at the limit, before the next row is kept."""

    def __init__(self, limit: int | None = None):
        self.limit = max_rows() if limit is None else limit
        self.used = 0

    def take(self) -> None:
        self.used += 1
        if self.used > self.limit:
            raise TooManyRows(self.limit)


class ProblemList:
    """The problems an import found: every one counted, only the first SHOW_PROBLEMS kept to show.

    With `key`, the ones kept are the first by that key (e.g. line number), whatever order they were found
    in; without, the first found. `len()` is the total; iterating gives those kept; `more` the rest.
    """

    def __init__(self, items=(), *, cap: int = SHOW_PROBLEMS, key=None):
        self.cap, self.key, self.total = cap, key, 0
        self._kept: list = []
        self._keys: list = []
        self.extend(items)

    def append(self, item) -> None:
        self.total += 1
        if self.key is None:
            if len(self._kept) < self.cap:
                self._kept.append(item)
            return
        k = self.key(item)
        if len(self._kept) >= self.cap and k >= self._keys[-1]:
            return
        at = bisect.bisect_right(self._keys, k)
        self._keys.insert(at, k)
        self._kept.insert(at, item)
        if len(self._kept) > self.cap:
            self._keys.pop()
            self._kept.pop()

    def extend(self, items) -> None:
        """Add items; from another ProblemList, the ones it counted but did not keep are counted here too."""
        for item in items:
            self.append(item)
        if isinstance(items, ProblemList):
            self.total += items.more

    @property
    def more(self) -> int:
        return self.total - len(self._kept)

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0

    def __iter__(self):
        return iter(self._kept)

    def __getitem__(self, index):
        return self._kept[index]

    def __repr__(self) -> str:
        return f"ProblemList({self._kept!r}, total={self.total})"


def text_stream(fileobj) -> io.TextIOWrapper:
    """A binary file read as UTF-8 text (a spreadsheet's byte-order mark skipped), a line at a time."""
    raw = getattr(fileobj, "file", fileobj)  # Django's uploaded files wrap the real file object
    if hasattr(raw, "seekable") and raw.seekable():
        raw.seek(0)
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def open_zip(fileobj, *, label: str) -> zipfile.ZipFile:
    """A zip whose directory promises no bomb; raises filechecks.FileProblem (or BadZipFile) otherwise."""
    archive = zipfile.ZipFile(getattr(fileobj, "file", fileobj))
    filechecks.check_zip_directory(archive, label=label, max_uncompressed=MAX_UNZIPPED, max_ratio=MAX_RATIO,
                                     ratio_from=RATIO_FROM)
    return archive
