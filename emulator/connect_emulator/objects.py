"""What the Connect domain may know about S3: the objects a prompt's S3Uri names.

S3 is served by moto (the emulator's HTTP server forwards every non-Connect request to it), so the
domain never owns buckets: it reads an object through this store when a prompt is created or
updated, and keeps the audio in its own state. The adapter implements it over moto's S3 backend;
`MemoryObjectStore` serves tests that build the domain alone.
"""

from __future__ import annotations

from typing import Protocol


class ObjectStore(Protocol):
    def get_object(self, account_id: str, bucket: str, key: str) -> bytes | None:
        """The object's bytes, or None when the bucket or the key does not exist."""
        ...

    def put_object(self, account_id: str, region: str, bucket: str, key: str, body: bytes) -> None:
        """Store an object, creating the bucket (in `region`) if it does not exist."""
        ...


class MemoryObjectStore:
    """An `ObjectStore` in a dict: buckets belong to nobody in particular, as S3's names are global."""

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str], bytes] = {}

    def get_object(self, account_id: str, bucket: str, key: str) -> bytes | None:
        return self.objects.get((bucket, key))

    def put_object(self, account_id: str, region: str, bucket: str, key: str, body: bytes) -> None:
        self.objects[(bucket, key)] = bytes(body)
