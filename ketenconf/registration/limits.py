"""How often a personal link may be mailed to one address.

Counted per address in the default cache (shared by every process when it is Redis), in
fixed windows of the rate's period: "3/h" is three links per address per clock hour. Every
request for the address counts, whether or not the address is registered, so the answer
"too many" says nothing about who is registered.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _rate(rate: str) -> tuple[int, int]:
    """ "3/h" → (3, 3600); "10/15m" → (10, 900)."""
    count, period = rate.split("/")
    digits = period[:-1]
    return int(count), (int(digits) if digits else 1) * PERIODS[period[-1]]


def link_mail_allowed(*, email: str) -> bool:
    """Count a link mail for ``email``; False once the address has had its share this period."""
    rate = settings.LINK_MAILS_PER_ADDRESS
    if not rate:
        return True
    limit, seconds = _rate(rate)
    window = int(time.time() // seconds)
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    key = f"link-mails:{digest}:{window}"
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)
        count = 1
    return count <= limit
