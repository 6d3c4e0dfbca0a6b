"""Uploads are checked by what they are, pictures lose their metadata, forms have limits, ClamAV can veto."""

import io
import os
import socket
import struct
import threading
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from sendhub.assessments.models import EHCNeedsAssessment, EvidenceDocument
from sendhub.core import filechecks
from sendhub.core.uploads import UploadError, check_upload
from sendhub.portal.models import AllAboutMePicture
from sendhub.testing.files import docx_bytes, odt_bytes, pdf_bytes, picture_bytes

RED, BLUE = (255, 0, 0), (0, 0, 255)


def upload(name, data):
    return SimpleUploadedFile(name, data)


def photo_with_gps(orientation: int = 6) -> bytes:
    """A 40x20 JPEG, left half red and right half blue, whose EXIF says: turn me 90 degrees, taken at these GPS."""
    image = Image.new("RGB", (40, 20), BLUE)
    image.paste(RED, (0, 0, 20, 20))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (53.0, 38.0, 42.0), 3: "W", 4: (1.0, 47.0, 2.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=95)
    assert Image.open(io.BytesIO(out.getvalue())).getexif().get_ifd(0x8825)  # the test photo really has GPS
    return out.getvalue()


def assert_no_metadata(data: bytes):
    image = Image.open(io.BytesIO(data))
    assert not image.getexif(), dict(image.getexif())
    assert b"Exif" not in data and b"PhoneMaker" not in data
    assert not image.getexif().get_ifd(0x8825)
    assert "icc_profile" not in image.info and "xmp" not in image.info and "exif" not in image.info
    return image


# --------------------------------------------------------------------------- finding 6: pictures


def test_a_photo_with_gps_is_served_to_professionals_upright_and_without_exif(area, client_for):
    parent = client_for(area.users["parent"])
    response = parent.post(f"/children/{area.child.pk}/all-about-me", {
        "picture_0": upload("garden.jpg", photo_with_gps()), "description_0": "Me in the garden"})
    assert response.status_code == 302, response.content.decode()[:2000]
    picture = AllAboutMePicture.objects.get(description="Me in the garden")
    served = client_for(area.users["therapist"]).get(f"/all-about-me/pictures/{picture.pk}")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    data = b"".join(served.streaming_content)
    image = assert_no_metadata(data).convert("RGB")
    assert image.size == (20, 40)  # turned upright: the camera held sideways
    top, bottom = image.getpixel((10, 5)), image.getpixel((10, 35))
    assert top[0] > 200 and top[2] < 60, top  # the red half is on top after a quarter turn clockwise
    assert bottom[2] > 200 and bottom[0] < 60, bottom
    assert picture.size == len(data)


def test_evidence_pictures_are_cleaned_too_and_documents_kept_as_sent(area, client_for):
    pdf = pdf_bytes()
    response = client_for(area.users["parent"]).post(f"/children/{area.child.pk}/request-assessment", {
        "needs": "Needs", "evidence": [upload("photo.jpeg", photo_with_gps()), upload("plan.pdf", pdf)]})
    assert response.status_code == 302
    stored = {d.original_name: d for d in EvidenceDocument.objects.all()}
    assert_no_metadata(stored["photo.jpeg"].file.read())
    assert stored["photo.jpeg"].content_type == "image/jpeg" and stored["photo.jpeg"].file.name.endswith(".jpg")
    assert stored["plan.pdf"].file.read() == pdf


def test_png_text_chunks_and_colour_profiles_are_dropped():
    from PIL import ImageCms

    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "53.6452 N, 1.7839 W")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>secret</x:xmpmeta>")
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = picture_bytes("png", pnginfo=info, icc_profile=profile)
    clean = check_upload(upload("drawing.png", data))
    out = clean.file.read()
    assert b"53.6452" not in out and b"secret" not in out and b"iCCP" not in out
    assert Image.open(io.BytesIO(out)).size == (8, 6) and clean.size == len(out)


def test_a_decompression_bomb_is_refused_before_it_is_unpacked():
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, format="PNG")  # 400 megapixels in about 50KB
    assert len(out.getvalue()) < 200_000
    with pytest.raises(UploadError, match="too large a picture"):
        check_upload(upload("bomb.png", out.getvalue()))


@pytest.mark.parametrize(("name", "data", "message"), [
    ("cat.png", picture_bytes("jpg"), "is not a real PNG"),
    ("cat.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "is not a real JPG picture"),
    ("cat.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "is not a real PNG picture"),
])
def test_pictures_must_decode(name, data, message):
    with pytest.raises(UploadError, match=message):
        check_upload(upload(name, data))


# --------------------------------------------------------------------------- finding 11: documents by parsing


def test_real_documents_are_accepted():
    for name, data in [("a.pdf", pdf_bytes(3)), ("b.docx", docx_bytes()), ("c.odt", odt_bytes())]:
        assert check_upload(upload(name, data)).size == len(data)


def _zip(members: dict[str, bytes], *, first: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(("name", "data", "message"), [
    ("page.pdf", b"%PDF-1.7\n<html><body><script>alert(1)</script></body></html>", "is not a PDF that can be opened"),
    ("locked.pdf", pdf_bytes(password="secret"), "is protected with a password"),
    ("any.docx", _zip({"hello.txt": b"hi"}), "is not a Word document: it has no document in it"),
    ("any.docx", _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}), "does not say it is one"),
    ("bomb.docx", _zip({"[Content_Types].xml": b"<wordprocessingml/>", "word/document.xml": b"<" + b" " * 5_000_000}),
     "unpacks to far more than its size"),
    ("any.odt", _zip({"content.xml": b"<x/>", "mimetype": b"application/vnd.oasis.opendocument.text"}),
     "has no document in it"),  # mimetype must come first
    ("any.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}),
     "says it is another kind of document"),
    ("any.odt", b"PK\x03\x04 not really a zip", "is not an OpenDocument text file that can be opened"),
])
def test_disguised_documents_are_refused(name, data, message):
    with pytest.raises(UploadError, match=message):
        check_upload(upload(name, data))


def test_too_many_files_in_one_zip_or_too_much_unpacked_is_refused(monkeypatch):
    monkeypatch.setattr(filechecks, "ZIP_MAX_UNCOMPRESSED", 1000)
    with pytest.raises(UploadError, match="unpacks to more than"):
        check_upload(upload("big.docx", docx_bytes("x" * 2000)))


# --------------------------------------------------------------------------- finding 11: limits of one form


def _request(client, child, files):
    return client.post(f"/children/{child.pk}/request-assessment", {"needs": "Needs", "evidence": files})


def test_a_form_takes_at_most_ten_files(area, client_for):
    files = [upload(f"report-{n}.docx", docx_bytes()) for n in range(11)]
    response = _request(client_for(area.users["parent"]), area.child, files)
    assert response.status_code == 200
    assert response.context["form"].errors["evidence"] == ["Select up to 10 files at a time"]
    assert 'href="#id_evidence"' in response.content.decode()  # the GOV.UK error summary links to the field
    assert not EHCNeedsAssessment.objects.exists()


def test_a_form_takes_at_most_the_total_size(area, client_for, settings):
    settings.SENDHUB_UPLOAD_MAX_TOTAL_BYTES = 5 * 1024 * 1024
    padded = [upload(f"scan-{n}.pdf", pdf_bytes() + b"%" + b"x" * (2 * 1024 * 1024) + b"\n") for n in range(3)]
    response = _request(client_for(area.users["parent"]), area.child, padded)
    assert response.context["form"].errors["evidence"] == [
        "The selected files add up to more than 5MB: upload some of them now and the rest separately"]
    assert not EvidenceDocument.objects.exists()


# --------------------------------------------------------------------------- finding 11: ClamAV


EICAR_NAME = "Eicar-Test-Signature"


class FakeClamd:
    """Speaks clamd's INSTREAM on a loopback socket: reads the chunks, answers FOUND when it sees 'EICAR'."""

    def __init__(self, family=socket.AF_INET, path=None):
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.bind(path or ("127.0.0.1", 0))
        self.sock.listen()
        self.received = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                stream = conn.makefile("rb")
                assert stream.read(10) == b"zINSTREAM\0"
                data = b""
                while (size := struct.unpack("!L", stream.read(4))[0]):
                    data += stream.read(size)
                self.received.append(data)
                conn.sendall(f"stream: {EICAR_NAME} FOUND\0".encode() if b"EICAR" in data else b"stream: OK\0")

    def close(self):
        self.sock.close()


@pytest.fixture
def clamd_tcp(settings):
    server = FakeClamd()
    settings.SENDHUB_CLAMD_HOST, settings.SENDHUB_CLAMD_PORT = server.sock.getsockname()
    yield server
    server.close()


def test_clean_files_pass_the_scanner_and_infected_ones_are_refused(area, client_for, clamd_tcp):
    client = client_for(area.users["parent"])
    infected = pdf_bytes() + b"%X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*\n"
    response = _request(client, area.child, [upload("fine.pdf", pdf_bytes()), upload("bad.pdf", infected)])
    assert response.context["form"].errors["evidence"] == [
        f"The selected file bad.pdf contains a virus ({EICAR_NAME}) and cannot be uploaded"]
    assert not EHCNeedsAssessment.objects.exists()
    assert [data.startswith(b"%PDF-") for data in clamd_tcp.received] == [True, True]
    assert clamd_tcp.received[1] == infected  # the whole file, sent in chunks
    assert _request(client, area.child, [upload("fine.pdf", pdf_bytes())]).status_code == 302
    assert EvidenceDocument.objects.count() == 1


def test_the_scanner_over_a_unix_socket(tmp_path, settings):
    path = str(tmp_path / "clamd.sock")
    server = FakeClamd(socket.AF_UNIX, path)
    settings.SENDHUB_CLAMD_SOCKET = path
    try:
        assert check_upload(upload("a.odt", odt_bytes())).extension == "odt"
        assert server.received == [odt_bytes()]
    finally:
        server.close()


def test_uploads_are_refused_when_the_scanner_is_configured_but_down(area, client_for, settings, tmp_path):
    settings.SENDHUB_CLAMD_SOCKET = str(tmp_path / "nobody-listens.sock")
    response = _request(client_for(area.users["parent"]), area.child, [upload("fine.pdf", pdf_bytes())])
    assert response.context["form"].errors["evidence"] == [
        "The selected file fine.pdf could not be checked for viruses just now: try again later"]
    assert not EHCNeedsAssessment.objects.exists()
    assert not os.path.exists(settings.SENDHUB_CLAMD_SOCKET)
