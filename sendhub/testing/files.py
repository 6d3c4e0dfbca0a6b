"""Small real files for upload tests: each opens in the parser sendhub.core.uploads uses for its kind."""

import io
import zipfile


def pdf_bytes(pages: int = 1, *, password: str = "") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(text: str = "A report") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>'))
        archive.writestr("word/document.xml", f'<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t>{text}'
                                              '</w:t></w:r></w:p></w:body></w:document>')
    return out.getvalue()


def odt_bytes(text: str = "A report") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", f'<?xml version="1.0"?><office:document-content><office:body><office:text>'
                                        f'<text:p>{text}</text:p></office:text></office:body></office:document-content>',
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def picture_bytes(kind: str = "png", size: tuple[int, int] = (8, 6), **save_options) -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, (200, 40, 40))
    out = io.BytesIO()
    image.save(out, format="JPEG" if kind in ("jpg", "jpeg") else "PNG", **save_options)
    return out.getvalue()
