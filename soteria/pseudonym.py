"""Keyed hashes for crime, suspect and investigator references.

References are pseudonymised at the door (imports, panel case entry) with
HMAC-SHA256 under settings.PSEUDONYM_KEY, so the same reference always maps
to the same hash (repeat suspects and caseloads can be counted) but nobody
can be named from the database. Normalising first means "ab/123 " and "AB/123"
are the same crime.
"""

import hashlib
import hmac

from django.conf import settings


def normalise_reference(reference: str) -> str:
    return "".join(str(reference).split()).upper()


def pseudonymise(reference: str, *, key: str | None = None) -> str:
    """The keyed hash of a reference; blank stays blank."""
    text = normalise_reference(reference)
    if not text:
        return ""
    secret = (key or settings.PSEUDONYM_KEY).encode()
    return hmac.new(secret, text.encode(), hashlib.sha256).hexdigest()
