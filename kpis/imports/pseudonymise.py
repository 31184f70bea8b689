"""References are kept only as keyed hashes (HMAC-SHA256 with settings.PSEUDONYM_KEY)."""

import hashlib

import numpy as np
import pandas as pd


class Hasher:
    """HMAC-SHA256 (RFC 2104) with the padded key hashed once, then copied for each reference.

    The same digest as ``hmac.digest(key, msg, "sha256")`` (and so as
    soteria.pseudonym), about five times faster for short messages, which
    matters at three references per row.
    """

    def __init__(self, key: bytes):
        if len(key) > 64:
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        self.inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self.outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def digest(self, message: bytes) -> bytes:
        inner = self.inner.copy()
        inner.update(message)
        outer = self.outer.copy()
        outer.update(inner.digest())
        return outer.digest()


def _hashes(values: pd.Series, hasher: "Hasher", *, with_keys: bool = False):
    """The keyed hash of each normalised reference (as soteria.pseudonym), blank kept blank.

    Without ``with_keys`` each distinct reference is hashed once (investigators and
    repeat suspects recur); with it, the first 8 bytes of each digest come back as
    integers for cheap duplicate checks.
    """
    digest = hasher.digest
    if not with_keys:
        distinct = list(set(values.tolist()))
        hexes = [digest(m).hex() if m else "" for m in _normalised(distinct)]
        return values.map(dict(zip(distinct, hexes, strict=True))).tolist(), None
    digests = [digest(m) if m else b"" for m in _normalised(values.tolist())]
    hexes = [d.hex() for d in digests]
    prefix = b"".join(d[:8] if d else b"\0" * 8 for d in digests)
    return hexes, np.frombuffer(prefix, dtype=">u8").astype(np.uint64)


def _normalised(texts: list[str]) -> list[bytes]:
    """Each reference without whitespace, in capitals, as UTF-8 (as soteria.pseudonym)."""
    joined = "\x00".join(texts)
    # Most extracts need no change: one pass over the joined text shows it, saving three
    # Python calls a reference. A NUL inside a cell only sends us down the general path.
    if len(joined.split(None, 1)) <= 1 and joined.upper() == joined:
        encoded = joined.encode().split(b"\x00")
        if len(encoded) == len(texts):
            return encoded
    return ["".join(text.split()).upper().encode() for text in texts]
