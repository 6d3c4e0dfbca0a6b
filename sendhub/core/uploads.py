"""Which uploaded files sendhub accepts as documents: checked by their content, not just their name."""

from dataclasses import dataclass

MAX_BYTES = 10 * 1024 * 1024
KINDS = {  # extension: (label, content type, magic prefix)
    "pdf": ("PDF", "application/pdf", b"%PDF-"),
    "docx": ("Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    "odt": ("OpenDocument text", "application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    "png": ("PNG image", "image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": ("JPG image", "image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("JPG image", "image/jpeg", b"\xff\xd8\xff"),
}
ACCEPT = ",".join(f".{ext}" for ext in KINDS)
WHAT_WE_TAKE = "a PDF, Word document (DOCX), OpenDocument text (ODT), JPG or PNG"


class UploadError(ValueError):
    pass


@dataclass(frozen=True)
class CheckedUpload:
    extension: str
    content_type: str


def check_document(name: str, head: bytes, size: int) -> CheckedUpload:
    """Refuse empty, oversized, unknown or disguised files with a message a person can act on."""
    if size == 0:
        raise UploadError(f"The selected file {name} is empty")
    if size > MAX_BYTES:
        raise UploadError(f"The selected file {name} must be smaller than 10MB")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = KINDS.get(extension)
    if kind is None:
        raise UploadError(f"The selected file {name} must be {WHAT_WE_TAKE}")
    if not head.startswith(kind[2]):
        raise UploadError(f"The selected file {name} is not a real {kind[0]}: it must be {WHAT_WE_TAKE}")
    return CheckedUpload(extension=extension, content_type=kind[1])
