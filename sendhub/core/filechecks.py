"""What a file really is, found by parsing it: PDFs opened, Word and OpenDocument files read as zips,
pictures decoded and drawn again without their metadata. No Django import: sendhub.core.uploads applies
these to uploads and turns a FileProblem into the message beside the field.

Each check reads what it needs from a seekable binary file and raises FileProblem with the reason in
words that finish "The selected file NAME ...".
"""

import io
import json
import os
import subprocess
import sys
import warnings
import zipfile

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

PDF_TIMEOUT_SECONDS = 15
# Zips (DOCX, ODT): what the zip's directory declares is checked before anything is unpacked.
ZIP_MAX_MEMBERS = 2_000
ZIP_MAX_UNCOMPRESSED = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100  # a member unpacking to more than 100 times its packed size is a zip bomb, not a document
# Pictures: 40 megapixels is a 7,700 x 5,200 photo, bigger than any phone takes; beyond it a few KB of PNG
# can ask for gigabytes of memory when decoded.
MAX_IMAGE_PIXELS = 40_000_000
JPEG_QUALITY = 90
SRGB = ImageCms.createProfile("sRGB")


class FileProblem(ValueError):
    pass


# --------------------------------------------------------------------------- PDF

def check_pdf(fileobj) -> int:
    """The number of pages of a PDF that opens; pypdf runs in a child process with memory and CPU limits."""
    fileobj.seek(0)
    data = fileobj.read()
    fileobj.seek(0)
    try:
        done = subprocess.run([sys.executable, "-m", "sendhub.core.pdf_probe"], input=data, capture_output=True,
                              timeout=PDF_TIMEOUT_SECONDS, check=False, env=_probe_environment())
        verdict = json.loads(done.stdout or b"{}")
    except subprocess.TimeoutExpired:
        verdict = {"ok": False, "reason": "unreadable"}
    except ValueError:  # the child was killed by its limits before it could answer
        verdict = {"ok": False, "reason": "unreadable"}
    if verdict.get("ok"):
        return verdict["pages"]
    if verdict.get("reason") == "encrypted":
        raise FileProblem("is protected with a password: save a copy without the password and upload that")
    if verdict.get("reason") == "empty":
        raise FileProblem("is a PDF with no pages")
    raise FileProblem("is not a PDF that can be opened: save it as a PDF again and upload that")


def _probe_environment() -> dict:
    """This process's environment, with the folder holding the sendhub package first on the child's path."""
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    path = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [here, path]))}


# --------------------------------------------------------------------------- DOCX and ODT

def _open_zip(fileobj, label: str) -> zipfile.ZipFile:
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileProblem(f"is not {label} that can be opened") from None
    check_zip_directory(archive, label=label)
    return archive


def check_zip_directory(archive: zipfile.ZipFile, *, label: str, max_members: int | None = None,
                        max_uncompressed: int | None = None, max_ratio: int | None = None,
                        ratio_from: int = 1024 * 1024) -> None:
    """Refuse a zip bomb from its directory alone: too many members, too much unpacked, or packed too tightly.

    `label` is what the zip should be, with its article ("a Word document"). Python's zipfile never unpacks
    more than a member's declared size, so checking the declared sizes bounds what reading can cost.
    The ratio is checked for members unpacking to more than `ratio_from` bytes (tiny files pack loosely).
    """
    max_members = max_members or ZIP_MAX_MEMBERS
    max_uncompressed = max_uncompressed or ZIP_MAX_UNCOMPRESSED
    max_ratio = max_ratio or ZIP_MAX_RATIO
    members = archive.infolist()
    if len(members) > max_members:
        raise FileProblem(f"has more than {max_members:,} parts: it is not {label} we can accept")
    total = 0
    for info in members:
        total += info.file_size
        if info.file_size > max(info.compress_size, 1) * max_ratio and info.file_size > ratio_from:
            raise FileProblem(f"unpacks to far more than its size: it is not {label} we can accept")
    if total > max_uncompressed:
        raise FileProblem(f"unpacks to more than {max_uncompressed // (1024 * 1024)}MB: it is not {label} "
                          "we can accept")


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A member's bytes, stopping at `limit`; unpacking it also checks its CRC."""
    with archive.open(name) as member:
        data = member.read(limit + 1)
        while member.read(1024 * 1024):  # the rest is read only to check the CRC, then dropped
            pass
    return data[:limit]


def check_docx(fileobj) -> None:
    label = "a Word document"
    archive = _open_zip(fileobj, label)
    try:
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise FileProblem(f"is not {label}: it has no document in it")
        types = _read_member(archive, "[Content_Types].xml", 1024 * 1024)
        if b"wordprocessingml" not in types:
            raise FileProblem(f"is not {label}: it does not say it is one")
        if b"<" not in _read_member(archive, "word/document.xml", 64 * 1024):
            raise FileProblem(f"is not {label}: its text cannot be read")
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
        raise FileProblem(f"is not {label} that can be opened") from None
    finally:
        fileobj.seek(0)


ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def check_odt(fileobj) -> None:
    label = "an OpenDocument text file"
    archive = _open_zip(fileobj, label)
    try:
        members = archive.infolist()
        if not members or members[0].filename != "mimetype" or "content.xml" not in archive.namelist():
            raise FileProblem(f"is not {label}: it has no document in it")
        if _read_member(archive, "mimetype", 200).strip() != ODT_MIMETYPE:
            raise FileProblem(f"is not {label}: it says it is another kind of document")
        if b"<" not in _read_member(archive, "content.xml", 64 * 1024):
            raise FileProblem(f"is not {label}: its text cannot be read")
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
        raise FileProblem(f"is not {label} that can be opened") from None
    finally:
        fileobj.seek(0)


# --------------------------------------------------------------------------- pictures

PICTURE_FORMATS = {"jpg": ("JPEG", "MPO"), "png": ("PNG",)}


def clean_picture(fileobj, extension: str) -> bytes:
    """The picture drawn again: turned the way the camera meant, colours in sRGB, no metadata at all.

    Re-encoding from the pixels drops EXIF (with GPS), XMP, IPTC, comments, text chunks and ICC profiles,
    and proves the file decodes; the pixel count is checked before decoding, so a decompression bomb is
    refused rather than unpacked.
    """
    kind = "jpg" if extension in ("jpg", "jpeg") else extension
    label = "JPG" if kind == "jpg" else "PNG"
    fileobj.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(fileobj, formats=["JPEG", "PNG"])  # JPEG also opens MPO
            if image.format not in PICTURE_FORMATS[kind]:
                raise FileProblem(f"is not a real {label} picture")
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise FileProblem(f"is too large a picture ({width:,} by {height:,} pixels): make it smaller than "
                                  f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels")
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise FileProblem("is too large a picture to open safely: make it smaller") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise FileProblem(f"is not a real {label} picture: it cannot be opened") from None
    finally:
        fileobj.seek(0)
    upright = _in_srgb(upright, image.info.get("icc_profile"))
    transparency = upright.info.get("transparency") if kind == "png" else None
    out = io.BytesIO()
    if kind == "jpg":
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        clean = _bare(upright)
        clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        clean = _bare(upright)
        options = {"transparency": transparency} if transparency is not None else {}
        clean.save(out, format="PNG", optimize=False, **options)
    return out.getvalue()


def _in_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Colours converted from the picture's own profile (a phone's Display P3, say) before the profile goes."""
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(image, source, SRGB, outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: the pixels are kept as they are


def _bare(image: Image.Image) -> Image.Image:
    """A copy of the pixels with no `info` (where Pillow keeps EXIF, XMP, ICC and text for saving)."""
    bare = image.copy()
    bare.info = {}
    if hasattr(bare, "_exif"):
        bare._exif = None
    return bare
