"""Code-point offsets (factpack) ↔ UTF-16 code-unit offsets (Label Studio, and JavaScript strings in general).

factpack counts Python code points; Label Studio's ``Text`` regions index the browser's string, one unit per
UTF-16 code unit. A character outside the Basic Multilingual Plane (most emoji, 𝕏, some CJK) is one code point
but two units, so every offset after one shifts. A lone surrogate (which strict UTF-8 decoding never yields, but
a Python string can hold) is one unit either way.
"""

from __future__ import annotations

__all__ = ["to_code_points", "to_utf16"]

_BMP_END = 0xFFFF


def to_utf16(text: str, offset: int) -> int:
    """The UTF-16 offset of code-point ``offset`` in ``text`` (0 ≤ offset ≤ len(text))."""
    if not 0 <= offset <= len(text):
        raise ValueError(f"offset {offset} is outside a text of {len(text)} code points")
    return offset + sum(1 for char in text[:offset] if ord(char) > _BMP_END)


def to_code_points(text: str, offset: int) -> int:
    """The code-point offset of UTF-16 ``offset`` in ``text``; an offset between the two halves of a pair is refused."""
    if offset < 0:
        raise ValueError(f"UTF-16 offset {offset} is negative")
    units = 0
    for index, char in enumerate(text):
        if units == offset:
            return index
        units += 2 if ord(char) > _BMP_END else 1
        if units > offset:
            raise ValueError(f"UTF-16 offset {offset} falls inside the surrogate pair of {char!r} at {index}")
    if units == offset:
        return len(text)
    raise ValueError(f"UTF-16 offset {offset} is outside a text of {units} code units")
