"""Which uploaded files sendhub accepts: checked by parsing their content, scanned, pictures cleaned.

Every upload form (evidence with a request, advice reports, "All about me" pictures) goes through
`check_uploads`, so the rules are the same everywhere (docs/security.md, "Uploads"):

- at most SENDHUB_UPLOAD_MAX_FILES files and SENDHUB_UPLOAD_MAX_TOTAL_BYTES in one form, each under 10MB;
- a PDF must open as a PDF (pypdf, in a child process with limits), a Word document or OpenDocument text
  must be a zip with the right parts and no zip bomb, a JPG or PNG must decode;
- when ClamAV is configured, each file is scanned and refused if infected, and every upload is refused
  ("try again later") when the scanner cannot be reached: failing closed;
- pictures are stored re-encoded, turned upright, with every piece of metadata (GPS included) removed.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from . import clamd, filechecks

log = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
KINDS = {  # extension: (label, content type, magic prefix)
    "pdf": ("PDF", "application/pdf", b"%PDF-"),
    "docx": ("Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    "odt": ("OpenDocument text", "application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    "png": ("PNG image", "image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": ("JPG image", "image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("JPG image", "image/jpeg", b"\xff\xd8\xff"),
}
PICTURES = ("jpg", "jpeg", "png")
ACCEPT = ",".join(f".{ext}" for ext in KINDS)
WHAT_WE_TAKE = "a PDF, Word document (DOCX), OpenDocument text (ODT), JPG or PNG"
SCANNER_DOWN = "could not be checked for viruses just now: try again later"


class UploadError(ValueError):
    pass


@dataclass(frozen=True)
class CheckedUpload:
    name: str          # as the person named it, for the record and for downloads
    extension: str
    content_type: str
    file: object       # what to store: the upload itself, or the cleaned picture
    size: int


def max_files() -> int:
    return settings.SENDHUB_UPLOAD_MAX_FILES


def max_total_bytes() -> int:
    return settings.SENDHUB_UPLOAD_MAX_TOTAL_BYTES


def limits_in_words() -> str:
    """For a form's hint, so people know the limits before they choose files."""
    return f"You can choose up to {max_files()} files, {_mb(max_total_bytes())} in all"


def _mb(size: int) -> str:
    return f"{size // (1024 * 1024)}MB"


def scan(upload) -> None:
    """Ask clamd about the file when it is configured; refuse infected files, and all files when it is down."""
    socket_path, host = settings.SENDHUB_CLAMD_SOCKET, settings.SENDHUB_CLAMD_HOST
    if not (socket_path or host):
        return
    upload.seek(0)
    try:
        found = clamd.instream(upload, socket_path=socket_path, host=host, port=settings.SENDHUB_CLAMD_PORT,
                               timeout=settings.SENDHUB_CLAMD_TIMEOUT)
    except clamd.ScannerUnavailable as error:
        log.error("Virus scanner unavailable, upload refused: %s", error)
        raise UploadError(f"The selected file {upload.name} {SCANNER_DOWN}") from None
    finally:
        upload.seek(0)
    if found:
        log.warning("Virus scanner found %s in an upload named %r; refused", found, upload.name)
        raise UploadError(f"The selected file {upload.name} contains a virus ({found}) and cannot be uploaded")


def check_upload(upload, *, extensions=tuple(KINDS)) -> CheckedUpload:
    """One file: its name, size and content; the stored file is the upload or, for a picture, its clean copy."""
    name, size = upload.name, upload.size
    if size == 0:
        raise UploadError(f"The selected file {name} is empty")
    if size > MAX_BYTES:
        raise UploadError(f"The selected file {name} must be smaller than 10MB")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = KINDS.get(extension)
    if kind is None or extension not in extensions:
        raise UploadError(f"The selected file {name} must be "
                          + (WHAT_WE_TAKE if set(extensions) - set(PICTURES) else "a JPG or PNG picture"))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(kind[2]):
        raise UploadError(f"The selected file {name} is not a real {kind[0]}: it must be {WHAT_WE_TAKE}")
    scan(upload)
    try:
        if extension == "pdf":
            filechecks.check_pdf(upload)
        elif extension == "docx":
            filechecks.check_docx(upload)
        elif extension == "odt":
            filechecks.check_odt(upload)
        else:
            cleaned = filechecks.clean_picture(upload, extension)
            stored = "jpg" if extension == "jpeg" else extension
            return CheckedUpload(name=name, extension=stored, content_type=kind[1],
                                 file=ContentFile(cleaned, name=f"{name.rsplit('.', 1)[0]}.{stored}"), size=len(cleaned))
    except filechecks.FileProblem as problem:
        raise UploadError(f"The selected file {name} {problem}") from None
    finally:
        upload.seek(0)
    return CheckedUpload(name=name, extension=extension, content_type=kind[1], file=upload, size=size)


def check_uploads(uploads, *, extensions=tuple(KINDS)) -> tuple[list[CheckedUpload], list[str]]:
    """Every file of one form: the form's limits first (how many, how much in all), then each file."""
    uploads = list(uploads)
    if len(uploads) > max_files():
        return [], [f"Select up to {max_files()} files at a time"]
    total = sum(u.size for u in uploads)
    if total > max_total_bytes():
        return [], [f"The selected files add up to more than {_mb(max_total_bytes())}: upload some of them now "
                    "and the rest separately"]
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(check_upload(upload, extensions=extensions))
        except UploadError as error:
            errors.append(str(error))
    return checked, errors


def check_files(uploads, *, field: str, extensions=tuple(KINDS)) -> list[CheckedUpload]:
    """`check_uploads` for a service: one ValidationError naming the field, with each problem."""
    checked, errors = check_uploads(uploads, extensions=extensions)
    if errors:
        raise ValidationError({field: errors})
    return checked
