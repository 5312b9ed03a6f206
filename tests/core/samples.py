"""Small genuine files of each accepted type, and hostile ones, built in memory (no binary fixtures)."""

import io
import struct
import warnings
import zipfile
import zlib


def pdf() -> bytes:
    """A minimal one-page PDF."""
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def png() -> bytes:
    """A valid 1x1 grey PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        """One PNG chunk with its length and CRC."""
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b"")


def jpeg() -> bytes:
    """A baseline 1x1 grey JPEG: one block whose coefficients are all zero."""
    def segment(marker: int, payload: bytes) -> bytes:
        """One JPEG marker segment with its length."""
        return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload

    single_code = bytes([1] + [0] * 15) + b"\x00"  # one code of length 1 for symbol 0
    return (b"\xff\xd8"
            + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
            + segment(0xDB, b"\x00" + b"\x01" * 64)
            + segment(0xC0, b"\x08\x00\x01\x00\x01\x01\x01\x11\x00")
            + segment(0xC4, b"\x00" + single_code)
            + segment(0xC4, b"\x10" + single_code)
            + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
            + b"\x3f\xff\xd9")


def zip_of(entries: list[tuple[str, bytes]], stored_first: bool = False) -> bytes:
    """Return a zip holding ``entries`` in order (the first one stored uncompressed if asked)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are built on purpose by one test
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for index, (name, data) in enumerate(entries):
                method = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
                archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data, compress_type=method)
    return buffer.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
RELS = b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'


def docx(body: bytes = b"<w:document/>") -> bytes:
    """A minimal Word document package."""
    return zip_of([("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS), ("word/document.xml", body)])


def xlsx() -> bytes:
    """A minimal Excel workbook package."""
    return zip_of([("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS),
                   ("xl/workbook.xml", b"<workbook/>"), ("xl/worksheets/sheet1.xml", b"<worksheet/>")])


def opendocument(mimetype: str) -> bytes:
    """A minimal OpenDocument package declaring ``mimetype``."""
    return zip_of([("mimetype", mimetype.encode()), ("META-INF/manifest.xml", b"<manifest/>"),
                   ("content.xml", b"<office:document-content/>")], stored_first=True)


def odt() -> bytes:
    """A minimal OpenDocument text."""
    return opendocument("application/vnd.oasis.opendocument.text")


def ods() -> bytes:
    """A minimal OpenDocument spreadsheet."""
    return opendocument("application/vnd.oasis.opendocument.spreadsheet")


def docx_bomb(megabytes: int = 20) -> bytes:
    """A DOCX-shaped archive whose document part is megabytes of zeros (about 1000:1)."""
    return docx(b"\x00" * (megabytes * 1024 * 1024))


def elf() -> bytes:
    """The start of a Linux executable."""
    return b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + b"\x02\x00\x3e\x00" + b"\x00" * 100


def exe() -> bytes:
    """The start of a Windows executable."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100 + b"This program cannot be run in DOS mode"
