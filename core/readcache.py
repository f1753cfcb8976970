"""Hot API reads answered from a cache keyed by the event log's head.

Every change of state writes an event in the same transaction (the house rule `record()`
serves), so the head of the chain (sequence and hash) is a version of the whole database:
while it stays the same, a read by the same user of the same address on the same day gives
the same answer. The hash, not only the sequence, goes into the key because a restored
backup or a rolled-back test can reach the same sequence with a different history.

    @router.get("/{int:application_id}", response=ApplicationDetail)
    @versioned_read
    def get_application(request, application_id): ...

The head is read before the answer is built: a change committed in between can only make a
cached answer newer than its key, never older. What is kept is the rendered answer, so a hit
skips the queries, the schema and the JSON; the API renders through `remember`. Each worker
keeps its own cache (Django's default local memory) unless CACHES names a shared one.
"""
from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone

from core.models import ChainHead

# Entries outlive their use only until the next event changes the key; this bounds memory, not staleness.
TIMEOUT_SECONDS = 600


def log_head(request=None) -> str:
    """The chain's head as `seq:hash`, read once per request."""
    if request is not None and hasattr(request, "_log_head"):
        return request._log_head
    # Plain SQL: this runs on every hot read, and compiling the ORM query cost more than running it.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_seq, last_hash FROM {ChainHead._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    head = f"{row[0]}:{row[1]}" if row else "0"
    if request is not None:
        request._log_head = head
    return head


def read_key(request) -> str:
    user = getattr(request, "auth", None) or request.user
    text = "|".join((str(user.pk), request.get_full_path(), log_head(request), timezone.localdate().isoformat()))
    return "read:" + hashlib.sha256(text.encode()).hexdigest()


def versioned_read(view):
    """Serve a GET view's rendered answer from the cache while the log's head stays where it
    was. On a miss the view runs as usual and `remember`, called where the API renders,
    keeps the answer: a hit skips the queries, the schema and the rendering."""

    @wraps(view)
    def cached(request, *args, **kwargs):
        if request.method == "GET" and settings.READ_CACHE:
            key = read_key(request)
            hit = cache.get(key)
            if hit is not None:
                content, content_type = hit
                return HttpResponse(content, content_type=content_type)
            request._read_cache_key = key
        return view(request, *args, **kwargs)

    return cached


def remember(request, response) -> None:
    """Keep a successful answer of a versioned_read view (errors are never kept)."""
    key = getattr(request, "_read_cache_key", None)
    if key and response.status_code == 200:
        cache.set(key, (response.content, response["Content-Type"]), TIMEOUT_SECONDS)
