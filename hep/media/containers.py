"""Video containers read as far as hep needs: an MP4's boxes and a WebM's EBML elements are
walked to prove the file whole (a truncated upload is refused) and free of attached files, and
the parts that carry metadata (a phone's location, the camera) are blanked in place."""

from __future__ import annotations

from typing import BinaryIO

from hep.errors import Invalid


def refuse(message: str) -> Invalid:
    return Invalid.field("file", message)


TRUNCATED = "The video is cut short (incomplete upload?): send the whole file."

# ISO base media brands of MP4 proper (QuickTime's 'qt  ' is another format)
MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash"}
    | {b"M4V ", b"mp71", b"MSNV", b"iso8", b"iso9", b"cmfc"}
)
MP4_TOP_LEVEL = frozenset(
    {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"meta", b"pdin", b"moof", b"mfra"}
    | {b"styp", b"sidx", b"ssix", b"prft", b"emsg", b"uuid"}
)
# where MP4 files keep metadata: the movie's and each track's user data and meta boxes
_MP4_METADATA = frozenset({b"udta", b"meta"})


def is_mp4(head: bytes) -> bool:
    return len(head) >= 12 and head[4:8] == b"ftyp"


def is_webm(head: bytes) -> bool:
    return head[:4] == b"\x1a\x45\xdf\xa3"


def _box_header(handle: BinaryIO, offset: int, end: int) -> tuple[bytes, int, int]:
    """(type, header length, box length) of the box at `offset`; refused unless it fits."""
    handle.seek(offset)
    header = handle.read(8)
    if len(header) < 8:
        raise refuse(TRUNCATED)
    size = int.from_bytes(header[:4], "big")
    kind = header[4:8]
    length = 8
    if size == 1:
        large = handle.read(8)
        if len(large) < 8:
            raise refuse(TRUNCATED)
        size = int.from_bytes(large, "big")
        length = 16
    elif size == 0:  # to the end of the file
        size = end - offset
    if size < length:
        raise refuse("The video's structure is damaged.")
    if offset + size > end:
        raise refuse(TRUNCATED)
    return kind, length, size


def _blank(handle: BinaryIO, offset: int, header: int, size: int) -> None:
    """Turn a box into a 'free' box of the same length: every offset stays valid."""
    handle.seek(offset + 4)
    handle.write(b"free")
    handle.seek(offset + header)
    left = size - header
    zeros = bytes(min(left, 65536))
    while left > 0:
        handle.write(zeros[: min(left, len(zeros))])
        left -= min(left, len(zeros))


def _blank_children(handle: BinaryIO, start: int, end: int, depth: int) -> None:
    offset = start
    while offset < end:
        kind, header, size = _box_header(handle, offset, end)
        if kind in _MP4_METADATA:
            _blank(handle, offset, header, size)
        elif kind == b"trak" and depth == 0:
            _blank_children(handle, offset + header, offset + size, depth + 1)
        offset += size


def check_mp4(handle: BinaryIO, total: int) -> None:
    """Refuse anything but a whole MP4 (ftyp first with an MP4 brand, only top-level boxes,
    each inside the file, a movie box and media data); blank its metadata boxes in place."""
    kind, header, size = _box_header(handle, 0, total)
    handle.seek(header)
    brands = handle.read(size - header)
    compatible = {brands[i : i + 4] for i in range(8, len(brands) - 3, 4)} | {brands[:4]}
    if kind != b"ftyp" or not compatible & MP4_BRANDS:
        raise refuse("Only MP4 and WebM videos can be uploaded (this one is another kind).")
    seen: dict[bytes, tuple[int, int, int]] = {}
    offset = 0
    while offset < total:
        kind, header, size = _box_header(handle, offset, total)
        if kind not in MP4_TOP_LEVEL:
            raise refuse("The video holds data that is not part of an MP4 file.")
        seen.setdefault(kind, (offset, header, size))
        if kind in _MP4_METADATA:
            _blank(handle, offset, header, size)
        offset += size
    if b"moov" not in seen or b"mdat" not in seen:
        raise refuse(TRUNCATED)
    start, header, size = seen[b"moov"]
    _blank_children(handle, start + header, start + size, 0)


# EBML / Matroska element ids (with their length markers, as written)
EBML = 0x1A45DFA3
DOC_TYPE = 0x4282
SEGMENT = 0x18538067
CLUSTER = 0x1F43B675
TRACKS = 0x1654AE6B
INFO = 0x1549A966
TAGS = 0x1254C367
ATTACHMENTS = 0x1941A469
VOID = 0xEC
LEVEL_ONE = frozenset(
    {0x114D9B74, INFO, TRACKS, 0x1C53BB6B, CLUSTER, TAGS, 0x1043A770, ATTACHMENTS, VOID, 0xBF}
)
CLUSTER_CHILDREN = frozenset({0xE7, 0xA3, 0xA0, 0xA7, 0xAB, VOID, 0xBF, 0x5854, 0xAF})
UNKNOWN = -1


def _vint(handle: BinaryIO, keep_marker: bool) -> tuple[int, int]:
    """(value, length in bytes) of an EBML variable-length integer; UNKNOWN for all ones."""
    first = handle.read(1)
    if not first:
        raise refuse(TRUNCATED)
    lead = first[0]
    length = 1
    while length <= 8 and not lead & (0x80 >> (length - 1)):
        length += 1
    if length > 8:
        raise refuse("The video's structure is damaged.")
    rest = handle.read(length - 1)
    if len(rest) < length - 1:
        raise refuse(TRUNCATED)
    value = lead if keep_marker else lead & (0xFF >> length)
    for byte in rest:
        value = (value << 8) | byte
    if not keep_marker and value == (1 << (7 * length)) - 1:
        return UNKNOWN, length
    return value, length


def _element(handle: BinaryIO, offset: int, end: int) -> tuple[int, int, int]:
    """(id, header length, data length or UNKNOWN) of the element at `offset`."""
    handle.seek(offset)
    element_id, id_length = _vint(handle, keep_marker=True)
    size, size_length = _vint(handle, keep_marker=False)
    header = id_length + size_length
    if size != UNKNOWN and offset + header + size > end:
        raise refuse(TRUNCATED)
    return element_id, header, size


def _doc_type(handle: BinaryIO, start: int, end: int) -> bytes:
    offset = start
    while offset < end:
        element_id, header, size = _element(handle, offset, end)
        if size == UNKNOWN:
            raise refuse("The video's structure is damaged.")
        if element_id == DOC_TYPE:
            handle.seek(offset + header)
            return handle.read(size).rstrip(b"\0")
        offset += header + size
    return b""


def _void(handle: BinaryIO, offset: int, header: int, size: int) -> None:
    """Overwrite an element with a Void element of the same length."""
    size_length = header - 1
    if size_length > 8:
        raise refuse("The video's structure is damaged.")
    marker = 1 << (7 * size_length)
    handle.seek(offset)
    handle.write(bytes([VOID]) + (marker | size).to_bytes(size_length, "big"))
    handle.write(bytes(size))


def check_webm(handle: BinaryIO, total: int) -> None:
    """Refuse anything but a whole WebM (EBML header with doc type webm, one segment whose
    elements each fit in the file, tracks and at least one cluster, no attached files);
    blank its tags in place. A segment of unknown size (a recording streamed to disk) is
    walked cluster by cluster."""
    element_id, header, size = _element(handle, 0, total)
    if element_id != EBML or size == UNKNOWN:
        raise refuse("The video's structure is damaged.")
    if _doc_type(handle, header, header + size) != b"webm":
        raise refuse("Only MP4 and WebM videos can be uploaded (this one is another kind).")
    offset = header + size
    element_id, header, size = _element(handle, offset, total)
    if element_id != SEGMENT:
        raise refuse("The video's structure is damaged.")
    end = total if size == UNKNOWN else offset + header + size
    if end != total:
        raise refuse("The video holds data that is not part of a WebM file.")
    seen: set[int] = set()
    offset += header
    while offset < end:
        element_id, header, size = _element(handle, offset, end)
        if element_id not in LEVEL_ONE:
            raise refuse("The video holds data that is not part of a WebM file.")
        if element_id == ATTACHMENTS:
            raise refuse("Videos with attached files are not accepted.")
        seen.add(element_id)
        if size == UNKNOWN:
            if element_id != CLUSTER:
                raise refuse("The video's structure is damaged.")
            offset = _walk_cluster(handle, offset + header, end)
            continue
        if element_id == TAGS:
            _void(handle, offset, header, size)
        offset += header + size
    if not {INFO, TRACKS, CLUSTER} <= seen:
        raise refuse(TRUNCATED)


def _walk_cluster(handle: BinaryIO, offset: int, end: int) -> int:
    """Where a cluster of unknown size ends: at the next level-one element or the file's end."""
    while offset < end:
        element_id, header, size = _element(handle, offset, end)
        if element_id in LEVEL_ONE - {VOID, 0xBF}:
            return offset
        if element_id not in CLUSTER_CHILDREN or size == UNKNOWN:
            raise refuse("The video's structure is damaged.")
        offset += header + size
    return offset
