r"""Source names as the outputs write them: any file name, losslessly, as valid UTF-8.

A POSIX file name is bytes. Python decodes it with `os.fsdecode`, which turns
each byte that is not UTF-8 into a lone surrogate (U+DC80–U+DCFF) that no
UTF-8 file, JSON or CSV can hold. The name a document gets in the output
writes such a byte as `\xff` instead, and a backslash as `\\`, so that the
escape is reversible: `unescape_name` gives back the name `os.fsdecode` made,
and `os.fsencode` of that the very bytes. A UTF-8 name without a backslash is
written as it is.
"""

from __future__ import annotations

import re

ESCAPE_RE = re.compile(r"\\(?:(\\)|x([0-9a-f]{2})|u([0-9a-f]{4}))")


def escape_name(name: str) -> str:
    r"""`name` writable as UTF-8: bytes that were not UTF-8 as `\xff`, other lone surrogates as `\udXXX`,
    and `\` as `\\`.

    >>> escape_name("bad\udcff\udcfe.txt")
    'bad\\xff\\xfe.txt'
    >>> escape_name("café.txt")
    'café.txt'
    """
    if "\\" not in name and _is_utf8(name):
        return name
    return "".join(_escaped(char) for char in name)


def unescape_name(name: str) -> str:
    r"""The name `escape_name` was given: pass it to `os.fsencode` for the file name's bytes.

    >>> unescape_name('bad\\xff.txt') == "bad\udcff.txt"
    True
    """
    return ESCAPE_RE.sub(_unescaped, name)


def _escaped(char: str) -> str:
    if char == "\\":
        return "\\\\"
    if "\udc80" <= char <= "\udcff":  # a byte os.fsdecode could not decode
        return f"\\x{ord(char) - 0xdc00:02x}"
    if "\ud800" <= char <= "\udfff":
        return f"\\u{ord(char):04x}"
    return char


def _unescaped(match: re.Match[str]) -> str:
    backslash, byte, surrogate = match.groups()
    if backslash:
        return "\\"
    return chr(0xdc00 + int(byte, 16)) if byte else chr(int(surrogate, 16))


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
