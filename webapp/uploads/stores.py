"""Where the bytes of stored files live: a local folder (the default) or an S3 object store.

`storage` is the only user: it picks the store from `UPLOAD_STORE` and keeps the rules (names,
thumbnails, stray files). A store knows nothing of rows; it answers five questions about names.
Both keep a file under `<first two hex digits>/<name>`, so the folder and the bucket have the same
layout and moving from one to the other is a plain copy (docs/operations.md).

Crash safety is each store's business: a file is visible under its name only once complete.
The folder writes a temporary file, fsyncs and renames it; an S3 PutObject is atomic by the
protocol (a failed or interrupted request stores nothing), and files are at most
UPLOAD_MAX_BYTES, so no multipart upload is ever started (it would leave parts behind).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

PART_SUFFIX = ".part"
CHUNK_BYTES = 64 * 1024
MEDIA_TYPES = {"jpg": "image/jpeg", "pdf": "application/pdf", "webm": "audio/webm",
               "mp3": "audio/mpeg"}


@dataclass
class Opened:
    """A stored file being read: its length, its bytes in chunks, and how to let it go."""

    size: int
    chunks: Iterable[bytes]
    close: Callable[[], None]


class Store(Protocol):
    def put(self, name: str, content: bytes) -> None: ...
    def open(self, name: str) -> Opened | None: ...
    def family(self, stem: str) -> list[str]: ...
    def remove(self, name: str) -> None: ...
    def listing(self) -> Iterator[tuple[str, float]]: ...
    def health(self) -> str: ...


def key_for(name: str) -> str:
    """`ab/ab12...jpg`: 256 sub-folders, so no folder grows huge. Refuses anything that could
    climb out of the folder or the bucket's layout."""
    if "/" in name or "\\" in name or name.startswith("."):
        raise ValueError("not a storage name")
    return f"{name[:2]}/{name}"


class LocalStore:
    """A folder outside the web root (UPLOAD_DIR), made on the first write."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, name: str) -> Path:
        return self.folder / key_for(name)

    def put(self, name: str, content: bytes) -> None:
        """Write durably under the name (temporary file, fsync, rename, fsync the folder). A
        write that fails (a full disk) removes its temporary file."""
        target = self.path(name)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = target.with_name(target.name + PART_SUFFIX)
        try:
            with open(temporary, "wb", opener=lambda p, f: os.open(p, f, 0o600)) as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        _fsync_folder(target.parent)

    def open(self, name: str) -> Opened | None:
        try:
            handle = open(self.path(name), "rb")
        except FileNotFoundError:
            return None
        size = os.fstat(handle.fileno()).st_size
        return Opened(size, iter(lambda: handle.read(CHUNK_BYTES), b""), handle.close)

    def family(self, stem: str) -> list[str]:
        return [path.name for path in self.path(stem).parent.glob(f"{stem}.*")]

    def remove(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)

    def listing(self) -> Iterator[tuple[str, float]]:
        for path in self.folder.glob("*/*"):
            try:
                if path.is_file():
                    yield path.name, path.stat().st_mtime
            except FileNotFoundError:
                continue  # deleted meanwhile

    def health(self) -> str:
        """Whether a file can be written now (full disk, lost mount, wrong owner all say no)."""
        probe = self.folder / f".health-{os.getpid()}"
        try:
            probe.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            probe.write_bytes(b"ok")
            probe.unlink()
        except OSError:
            return "not_writable"
        return "ok"


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable, so the row inserted next never names a lost file."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class S3Store:
    """A private bucket of an S3-compatible store (SeaweedFS, MinIO, Garage, AWS), for several
    app machines sharing their files. The app streams every file itself after its own access
    checks: it never hands out a presigned URL and the bucket needs no public access."""

    def __init__(self, config: dict):
        import boto3  # only when the object store is configured: the default needs no boto3
        from botocore.config import Config

        self.bucket = config["S3_BUCKET"]
        # Short timeouts and few retries: a web request waiting on a dead store should fail
        # in seconds (the health check then says so), not hang a worker thread.
        self.client = boto3.session.Session().client(
            "s3", endpoint_url=config.get("S3_ENDPOINT_URL") or None,
            aws_access_key_id=config.get("S3_ACCESS_KEY_ID") or None,
            aws_secret_access_key=config.get("S3_SECRET_ACCESS_KEY") or None,
            region_name=config.get("S3_REGION") or "us-east-1",
            config=Config(connect_timeout=3, read_timeout=20,
                          retries={"max_attempts": 3, "mode": "standard"},
                          s3={"addressing_style": "path"}))

    def put(self, name: str, content: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=key_for(name), Body=content,
                               ContentType=MEDIA_TYPES.get(name.rsplit(".", 1)[-1],
                                                           "application/octet-stream"))

    def open(self, name: str) -> Opened | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=key_for(name))
        except self.client.exceptions.NoSuchKey:
            return None
        body = answer["Body"]
        return Opened(answer["ContentLength"], body.iter_chunks(CHUNK_BYTES), body.close)

    def family(self, stem: str) -> list[str]:
        return [key.rsplit("/", 1)[-1] for key, _ in self._objects(key_for(stem) + ".")]

    def remove(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key_for(name))  # gone already: fine

    def listing(self) -> Iterator[tuple[str, float]]:
        for key, modified in self._objects(""):
            folder, _, name = key.partition("/")
            if len(folder) == 2 and name and "/" not in name:
                yield name, modified

    def _objects(self, prefix: str) -> Iterator[tuple[str, float]]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                      Prefix=prefix)
        for page in pages:
            for item in page.get("Contents", ()):
                yield item["Key"], item["LastModified"].timestamp()

    def health(self) -> str:
        """Write and remove a small object: the store answers, the key pair is accepted and the
        bucket takes writes. Its key is outside the `ab/` layout, so it is never a stray."""
        from botocore.exceptions import BotoCoreError, ClientError

        probe = f".health/{os.uname().nodename}-{os.getpid()}"
        try:
            self.client.put_object(Bucket=self.bucket, Key=probe, Body=b"ok")
            self.client.delete_object(Bucket=self.bucket, Key=probe)
        except (BotoCoreError, ClientError):
            return "unreachable"
        return "ok"


_s3_lock = threading.Lock()
STORES = ("local", "s3")


def check_settings(config) -> None:
    kind = config.get("UPLOAD_STORE") or "local"
    if kind not in STORES:
        raise RuntimeError(f"UPLOAD_STORE must be 'local' or 's3', not {kind!r}")
    if kind == "s3" and not config.get("S3_BUCKET"):
        raise RuntimeError("UPLOAD_STORE=s3 needs S3_BUCKET (docs/operations.md)")


def store_for(app) -> Store:
    """The app's store. The folder is looked up on every call (tests move it); the S3 client is
    made once per app and shared by its threads (boto3 clients are thread-safe)."""
    kind = app.config.get("UPLOAD_STORE") or "local"
    if kind == "local":
        return LocalStore(Path(app.config["UPLOAD_DIR"]))
    store = app.extensions.get("upload_s3_store")
    if store is None:
        with _s3_lock:
            store = app.extensions.get("upload_s3_store")
            if store is None:
                store = app.extensions["upload_s3_store"] = S3Store(app.config)
    return store
