"""Writes the seed inputs of the fuzz targets (python3, standard library only).

Seeds are tiny valid inputs that start libFuzzer past the magic bytes and checksums it would
otherwise spend its budget guessing: one small image per format the decoder reads (an 8x8
JPEG with and without an EXIF orientation, PNGs in several colour types, a two-frame GIF, a
BMP, a TIFF), a caption, an attributes CSV, a JSON sidecar. Run from this folder:
`python3 make.py`. The manifest and record seeds (`manifest/`, `records/`) were written by
zcurate itself: `scan` of these images and of two test photos, `crop` and `export --force`
of the photos; the select record's outputs list is written by hand from its type.
"""

import os
import struct
import zlib


def write(target, name, data):
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def png(width, height, colour_type, depth, pixel, extra=b""):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\0" + pixel * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def bmp(width, height):
    row = (b"\x10\x80\xf0" * width).ljust((width * 3 + 3) // 4 * 4, b"\0")
    pixels = row * height
    header = struct.pack("<2sIHHI", b"BM", 54 + len(pixels), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    return header + info + pixels


def tiff(width, height):
    pixels = b"\x40\x80\xc0" * width * height
    entries = [
        (256, 3, 1, width), (257, 3, 1, height), (258, 3, 1, 8), (259, 3, 1, 1),
        (262, 3, 1, 2), (273, 4, 1, 8), (274, 3, 1, 6), (277, 3, 1, 3),
        (278, 3, 1, height), (279, 4, 1, len(pixels)),
    ]
    ifd_offset = 8 + len(pixels)
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        packed = struct.pack("<H", value) + b"\0\0" if kind == 3 else struct.pack("<I", value)
        ifd += struct.pack("<HHI", tag, kind, count) + packed
    ifd += struct.pack("<I", 0)
    return b"II*\0" + struct.pack("<I", ifd_offset) + pixels + ifd


def gif_two_frames():
    """2x2, a 2-colour palette, two frames and a loop extension."""
    # LZW with a clear code before every pixel keeps every code 3 bits wide: clear (4),
    # colour 0, ... then end (5), packed from the low bit.
    bits, n = 0, 0
    for code in [4, 0] * 4 + [5]:
        bits |= code << n
        n += 3
    data = bits.to_bytes((n + 7) // 8, "little")
    frame = (b"\x21\xf9\x04\x00\x0a\x00\x00\x00"  # graphic control: 10/100 s
             + b"\x2c\x00\x00\x00\x00\x02\x00\x02\x00\x00"  # image descriptor
             + b"\x02" + bytes([len(data)]) + data + b"\x00")  # LZW minimum size 2, one block
    return (b"GIF89a\x02\x00\x02\x00\x80\x00\x00" + b"\x00\x00\x00\xff\xff\xff"
            + b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00" + frame + frame + b"\x3b")


def jpeg_grey_8x8(orientation=None):
    """A baseline greyscale 8x8 JPEG: one block with a DC value only."""
    def segment(marker, body):
        return b"\xff" + bytes([marker]) + struct.pack(">H", len(body) + 2) + body

    out = b"\xff\xd8"
    if orientation is not None:
        tiff_body = (b"MM\0*" + struct.pack(">I", 8) + struct.pack(">H", 1)
                     + struct.pack(">HHIHH", 274, 3, 1, orientation, 0) + struct.pack(">I", 0))
        out += segment(0xE1, b"Exif\0\0" + tiff_body)
    out += segment(0xDB, b"\x00" + bytes([1] * 64))  # quantisation table 0, all ones
    out += segment(0xC0, b"\x08\x00\x08\x00\x08\x01\x01\x11\x00")  # 8 bit, 8x8, 1 component
    # DC table 0: two codes of length 2, categories 0 ("00") and 4 ("01").
    out += segment(0xC4, b"\x00" + bytes([0, 2] + [0] * 14) + b"\x00\x04")
    # AC table 0: one symbol, EOB (0x00), code length 1.
    out += segment(0xC4, b"\x10" + bytes([1] + [0] * 15) + b"\x00")
    out += segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    # DC: symbol 4 (code "01"), value 15 (bits "1111"); AC: EOB (code "0"). Pad with ones.
    out += bytes([0b01111101]) + b"\xff\xd9"
    return out


here = os.path.dirname(os.path.abspath(__file__))
os.chdir(here)
d = "decode_image"
write(d, "grey-8x8.jpg", jpeg_grey_8x8())
write(d, "grey-8x8-exif-orientation-6.jpg", jpeg_grey_8x8(6))
write(d, "rgb-3x2.png", png(3, 2, 2, 8, b"\x10\x80\xf0"))
write(d, "rgba-16bit-2x2.png", png(2, 2, 6, 16, b"\x10\x00\x80\x00\xf0\x00\x80\x00"))
write(d, "grey-2x2.png", png(2, 2, 0, 8, b"\x80"))
write(d, "palette-2x2.png", png(2, 2, 3, 8, b"\x01",
                                 struct.pack(">I", 6) + b"PLTE" + b"\0\0\0\xff\xff\xff"
                                 + struct.pack(">I", zlib.crc32(b"PLTE\0\0\0\xff\xff\xff"))))
write(d, "rgb-3x2.bmp", bmp(3, 2))
write(d, "rgb-2x2-orientation-6.tif", tiff(2, 2))
write(d, "two-frames-2x2.gif", gif_two_frames())

write("caption_text", "face.txt", "ohwx man, close-up, front view, smiling, soft light")
write("caption_text", "prose.txt",
      "a photo of ohwx man wearing a dark suit at a press conference, looking down")
write("attributes_csv", "attrs.csv",
      'file,expression,lighting\na.jpg,smiling,soft light\n"sub/a.jpg","neutral, calm",\nb,,\n')
write("json_sidecar", "a.json", '{"expression": "smiling", "lighting": ["soft light"], "x": null}')
