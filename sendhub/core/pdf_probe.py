"""Open a PDF with pypdf in a separate process with bounded memory and CPU, and say what was found.

Run as `python -m sendhub.core.pdf_probe` with the file on standard input; prints one JSON object:
{"ok": true, "pages": N} or {"ok": false, "reason": "encrypted" | "unreadable" | "empty"}. A PDF can be
built to make a parser loop or allocate without end; in its own process, with address-space and CPU
limits set before anything is parsed and a wall-clock timeout in the caller (sendhub.core.filechecks),
the worst a hostile file can do is be refused. Nothing here imports Django.
"""

import json
import sys

MEMORY_LIMIT = 1024 * 1024 * 1024  # address space, bytes
CPU_SECONDS = 10


def _limit() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def probe(data: bytes) -> dict:
    import io
    import logging

    from pypdf import PdfReader

    logging.disable(logging.WARNING)  # pypdf logs every repair it makes; the verdict is what matters
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # a PDF with only an owner password opens without one
            except Exception:  # noqa: BLE001 - an unsupported or broken encryption is still "protected"
                opened = 0
            if not opened:
                return {"ok": False, "reason": "encrypted"}
        pages = len(reader.pages)
        if pages:
            reader.pages[0].mediabox  # noqa: B018 - the first page must be a real page object
    except MemoryError:
        return {"ok": False, "reason": "unreadable"}
    except Exception:  # noqa: BLE001 - any parser failure means "not a PDF we can open"
        return {"ok": False, "reason": "unreadable"}
    return {"ok": True, "pages": pages} if pages else {"ok": False, "reason": "empty"}


def main() -> None:
    _limit()
    data = sys.stdin.buffer.read()
    sys.stdout.write(json.dumps(probe(data)))


if __name__ == "__main__":
    main()
