#!/usr/bin/python3
"""Writes the handmade-*.parquet test files: valid Parquet that other writers produce and our
writer never does, each built byte by byte here (Thrift compact protocol, parquet.thrift's
field ids), so the reader's handling of them is pinned down. Standard library only:

    /usr/bin/python3 tests/testdata/parquet/make_handmade.py   # rewrites the files beside it

The expected values are in README.md and in tests/parquet/corrupt_file_test.cc.
"""

import gzip
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

# Compact protocol types.
BOOL_TRUE, I32, I64, BINARY, LIST, STRUCT = 1, 5, 6, 8, 9, 12
# parquet.thrift enums.
INT64, REQUIRED, OPTIONAL = 2, 0, 1
PLAIN, RLE = 0, 3
UNCOMPRESSED, SNAPPY, GZIP = 0, 1, 2
DATA_PAGE_V2 = 3


def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def zigzag(n):
    return varint((n << 1) ^ (n >> 63))


class Struct:
    """A compact-protocol struct, fields added in ascending id order."""

    def __init__(self):
        self.out = bytearray()
        self.last = 0

    def _header(self, field_id, wire_type):
        delta = field_id - self.last
        assert 0 < delta <= 15
        self.out.append(delta << 4 | wire_type)
        self.last = field_id

    def i32(self, field_id, value):
        self._header(field_id, I32)
        self.out += zigzag(value)
        return self

    def i64(self, field_id, value):
        self._header(field_id, I64)
        self.out += zigzag(value)
        return self

    def boolean(self, field_id, value):
        self._header(field_id, BOOL_TRUE if value else 2)
        return self

    def binary(self, field_id, value):
        self._header(field_id, BINARY)
        self.out += varint(len(value)) + value
        return self

    def struct(self, field_id, value):
        self._header(field_id, STRUCT)
        self.out += value.bytes()
        return self

    def list(self, field_id, element_type, items):
        self._header(field_id, LIST)
        assert len(items) < 15
        self.out.append(len(items) << 4 | element_type)
        for item in items:
            if element_type == STRUCT:
                self.out += item.bytes()
            elif element_type == BINARY:
                self.out += varint(len(item)) + item
            else:
                self.out += zigzag(item)
        return self

    def bytes(self):
        return bytes(self.out) + b"\x00"


def column_file(path, repetition, codec, page_body, num_values, num_nulls, num_rows,
                levels_length, uncompressed_size, is_compressed, extra_footer=None,
                chunk_override=None):
    """A file of one INT64 column "x" holding one v2 data page (or, with chunk_override, a
    chunk whose metadata is given as is and no page at all)."""
    body = bytearray(b"PAR1")
    data_page_offset = len(body)
    if page_body is not None:
        v2 = (Struct().i32(1, num_values).i32(2, num_nulls).i32(3, num_rows).i32(4, PLAIN)
              .i32(5, levels_length).i32(6, 0).boolean(7, is_compressed))
        header = (Struct().i32(1, DATA_PAGE_V2).i32(2, uncompressed_size)
                  .i32(3, len(page_body)).struct(8, v2))
        body += header.bytes() + page_body
    chunk_size = len(body) - data_page_offset
    meta = chunk_override or (
        Struct().i32(1, INT64).list(2, I32, [PLAIN, RLE]).list(3, BINARY, [b"x"]).i32(4, codec)
        .i64(5, num_values).i64(6, chunk_size).i64(7, chunk_size).i64(9, data_page_offset))
    chunk = Struct().i64(2, data_page_offset if page_body is not None else 0).struct(3, meta)
    group = Struct().list(1, STRUCT, [chunk]).i64(2, chunk_size).i64(3, num_rows)
    schema = [Struct().binary(4, b"schema").i32(5, 1),
              Struct().i32(1, INT64).i32(3, repetition).binary(4, b"x")]
    footer = (Struct().i32(1, 2).list(2, STRUCT, schema).i64(3, num_rows)
              .list(4, STRUCT, [group]).binary(6, b"slack-intel tests (handmade)"))
    if extra_footer:
        extra_footer(footer)
    footer_bytes = footer.bytes()
    trailer = b""
    if extra_footer:
        trailer = bytes(28)  # where a plaintext footer's nonce and GCM tag go
    body += footer_bytes + trailer + struct.pack("<I", len(footer_bytes) + len(trailer)) + b"PAR1"
    with open(os.path.join(HERE, path), "wb") as f:
        f.write(body)


def plain_int64(values):
    return b"".join(struct.pack("<q", v) for v in values)


def main():
    # (a) A v2 page of 4 REQUIRED values, GZIP, its values as two gzip members one after the
    # other (some writers flush a member per buffer). Values: 1, 2, 3, 4.
    values = plain_int64([1, 2, 3, 4])
    two_members = gzip.compress(values[:16], mtime=0) + gzip.compress(values[16:], mtime=0)
    column_file("handmade-v2-gzip-two-members.parquet", REQUIRED, GZIP, two_members, 4, 0, 4, 0,
                len(values), True)

    # (b) A v2 page of 3 OPTIONAL values, all null, SNAPPY, is_compressed set and the values
    # section empty: only the definition levels (an RLE run of three 0s, bit width 1).
    levels = varint(3 << 1) + b"\x00"
    column_file("handmade-v2-all-null-empty-values.parquet", OPTIONAL, SNAPPY, levels, 3, 3, 3,
                len(levels), len(levels), True)

    # (c) A row group of 0 rows whose one chunk has no pages and offsets of 0.
    empty_chunk = (Struct().i32(1, INT64).list(2, I32, [PLAIN]).list(3, BINARY, [b"x"])
                   .i32(4, UNCOMPRESSED).i64(5, 0).i64(6, 0).i64(7, 0).i64(9, 0))
    column_file("handmade-zero-row-chunk-offsets-zero.parquet", OPTIONAL, UNCOMPRESSED, None,
                0, 0, 0, 0, 0, False, chunk_override=empty_chunk)

    # (e) Parquet Modular Encryption with a plaintext footer: PAR1 magic, FileMetaData with
    # encryption_algorithm (field 8: AES_GCM_V1), 28 signature bytes after it.
    column_file("handmade-encrypted-plaintext-footer.parquet", REQUIRED, UNCOMPRESSED,
                plain_int64([7]), 1, 0, 1, 0, 8, False,
                extra_footer=lambda footer: footer.struct(
                    8, Struct().struct(1, Struct())))


if __name__ == "__main__":
    main()
