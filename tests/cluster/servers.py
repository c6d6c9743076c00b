"""The parts of a province served by more than one machine, each started and stopped by the test
or run that needs it: gunicorn instances of the app, HAProxy in front of them, and private
PostgreSQL and Redis servers (Debian's) for the fault run, which stops and restarts them.

Every server listens on a free port of 127.0.0.1, writes its log into the caller's folder, and
is a context manager: it is stopped on the way out whatever happened inside, so a failed test
leaves no process behind.
"""

from __future__ import annotations

import glob
import http.client
import os
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.bench.run import BIN, ROOT, free_port

START_SECONDS = 90  # a busy two-core machine: two warming gunicorns and a database start


def wait_for(what: str, ready, seconds: float = START_SECONDS) -> None:
    """Poll `ready()` until it is true; fail naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not come up within {seconds:.0f} s")
        time.sleep(0.2)


def answers(port: int, path: str = "/healthz") -> bool:
    """True when something on `port` answers `path` with 200."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", path)
        ok = connection.getresponse().status == 200
        connection.close()
        return ok
    except (OSError, http.client.HTTPException):
        return False


def running(process: subprocess.Popen, log_path: Path) -> bool:
    """True while `process` runs; a server that exited fails at once, with its log's end."""
    if process.poll() is not None:
        raise RuntimeError(f"{process.args[0]} exited: {log_path.read_text()[-2000:]}")
    return True


def stop_group(process: subprocess.Popen, seconds: float = 30) -> None:
    """SIGTERM the process's whole group (gunicorn's workers, the upload sandbox), then wait;
    SIGKILL what is still there after `seconds`."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(seconds)
    except ProcessLookupError:
        pass


# --- the app -----------------------------------------------------------------------------------


@dataclass
class AppInstance:
    """One gunicorn of the app, started as `make run` starts it (gunicorn.conf.py is read from
    the project folder): `start` and `kill` let the fault run take it away and bring it back."""

    name: str
    env: dict
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def log_path(self) -> Path:
        return self.folder / f"gunicorn-{self.name}.log"

    def start(self) -> None:
        log = open(self.log_path, "a")  # noqa: SIM115 (the process holds it; closed with it)
        metrics = self.folder / f"metrics-{self.name}"
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{self.port}",
             "--forwarded-allow-ips", "127.0.0.1", "--name", f"webapp-{self.name}",
             "webapp:create_app()"],
            cwd=ROOT, env={**self.env, "PROMETHEUS_MULTIPROC_DIR": str(metrics)},
            stdout=log, stderr=log, start_new_session=True)
        log.close()
        wait_for(f"gunicorn {self.name}", lambda: self._warmed_up() and answers(self.port))

    def _warmed_up(self) -> bool:
        """Both workers of the latest start have warmed up (the log grows across restarts)."""
        log = self.log_path.read_text(errors="replace") if running(self.process,
                                                                     self.log_path) else ""
        return log.count("Worker warmed up") >= 2 * log.count("Starting gunicorn")

    def kill(self) -> None:
        """As a crashed machine: SIGKILL to the master and its workers, nothing said."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(30)

    def stop(self) -> None:
        if self.process:
            stop_group(self.process)


@contextmanager
def app_instances(env: dict, folder: Path, names=("a", "b")):
    """Gunicorn instances of the app on one configuration (`env`), stopped on the way out."""
    instances = [AppInstance(name, env, folder) for name in names]
    try:
        for instance in instances:
            instance.start()
        yield instances
    finally:
        for instance in instances:
            instance.stop()


# --- the balancer ------------------------------------------------------------------------------

HAPROXY_CONFIG = """\
global
    maxconn 2000
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    option forwardfor
    retries 2
    option redispatch
    # No instance left answering, or one dying mid-answer: a page in Vietnamese, not
    # HAProxy's English one.
{errorfiles}
frontend web
    bind 127.0.0.1:{port}
    default_backend app
backend app
    balance roundrobin
    # Which instance answered, for the tests (and for an operator reading a page's headers).
    http-response set-header X-Served-By %[srv_name]
    # A test may ask for one instance by name; everyone else is balanced round-robin.
{pins}
    # An instance is taken out when it stops answering, not when a part every instance
    # shares is down (/healthz answers 503 then): taking them all out would help nobody.
    option httpchk GET /healthz
    http-check expect rstatus ^(200|503)$
    # A busy instance answers its check late: three misses of 5 s before it is taken out.
    # A dead one refuses connections at once, and those requests are sent to another.
    timeout check 5s
    default-server inter 2s fall 3 rise 2
{servers}
"""


NO_INSTANCE_PAGE = """\
HTTP/1.0 {status}\r
Cache-Control: no-cache\r
Retry-After: 30\r
Content-Type: text/html; charset=utf-8\r
\r
<!doctype html><html lang="vi"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hệ thống đang tạm gián đoạn</title>
<h1>Hệ thống đang tạm gián đoạn</h1>
<p>Những gì Ông/Bà đã lưu hoặc đã gửi vẫn được giữ nguyên. Xin Ông/Bà thử lại sau một phút.</p>
"""


BALANCER_ERRORS = {502: "502 Bad Gateway", 503: "503 Service Unavailable",
                   504: "504 Gateway Timeout"}


def haproxy_config(port: int, instances: list[AppInstance], folder: Path) -> str:
    pins = "\n".join(f"    use-server {i.name} if {{ req.hdr(x-instance) -m str {i.name} }}"
                     for i in instances)
    servers = "\n".join(f"    server {i.name} 127.0.0.1:{i.port} check" for i in instances)
    errorfiles = "\n".join(f"    errorfile {code} {folder / f'{code}.http'}"
                           for code in BALANCER_ERRORS)
    return HAPROXY_CONFIG.format(port=port, pins=pins, servers=servers, errorfiles=errorfiles)


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(found).exists():
        raise RuntimeError("HAProxy is not installed (apt-get install haproxy, or make cluster)")
    return found


@contextmanager
def haproxy(instances: list[AppInstance], folder: Path, port: int | None = None):
    """HAProxy balancing round-robin over `instances`, health-checking each at /healthz every
    second, on `port` (a free one if not given); yields its port."""
    port = port or free_port()
    config = folder / "haproxy.cfg"
    for code, status in BALANCER_ERRORS.items():
        (folder / f"{code}.http").write_text(NO_INSTANCE_PAGE.format(status=status),
                                             encoding="utf-8")
    config.write_text(haproxy_config(port, instances, folder))
    log = open(folder / "haproxy.log", "w")  # noqa: SIM115
    process = subprocess.Popen([haproxy_binary(), "-db", "-f", str(config)],
                               stdout=log, stderr=log, start_new_session=True)
    log.close()
    try:
        wait_for("HAProxy", lambda: running(process, folder / "haproxy.log") and answers(port))
        yield port
    finally:
        stop_group(process)


# --- the store of uploads ------------------------------------------------------------------------


class ObjectStore:
    """SeaweedFS when the app can keep uploads in S3 (tests/object_store.py, UPLOAD_STORE=s3);
    else an upload folder both instances share, and no object-store fault."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.server, self.note = folder, None, ""

    def settings(self, stack: ExitStack) -> dict:
        try:
            from tests.object_store import SeaweedFS, weed_binary
        except ImportError:
            self.note = ("the app has no S3 store on this branch: both instances share one "
                         "upload folder (and the load run has no object-store fault)")
            return {"UPLOAD_DIR": str(self.folder / "uploads")}
        self.server = SeaweedFS(weed_binary(), self.folder / "seaweedfs")
        stack.callback(self.server.stop)
        self.server.start()
        return {**self.server.settings(self.server.new_bucket()),
                "UPLOAD_DIR": str(self.folder / "uploads")}

    def names(self) -> set[str]:
        """Every file name in the store: the bucket's keys (and their last part), or the
        files of the shared folder."""
        if not self.server:
            return {path.name for path in (self.folder / "uploads").rglob("*") if path.is_file()}
        from tests.object_store import objects

        client = self.server.client()
        keys = set().union(*(objects(client, b["Name"])
                             for b in client.list_buckets()["Buckets"]))
        return keys | {key.rsplit("/", 1)[-1] for key in keys}

    def stop(self) -> None:
        """Killed, as a crashed machine; its Unix sockets removed, or its restart could not
        make them again."""
        self.server.process.kill()
        self.server.process.wait()
        for socket_file in self.server.sockets:
            socket_file.unlink(missing_ok=True)

    def start(self) -> None:
        """The same command again (same ports and data folder): what was stored is there."""
        log = open(self.folder / "seaweedfs" / "weed.log", "ab")  # noqa: SIM115
        self.server.process = subprocess.Popen(self.server.process.args, stdout=log,
                                               stderr=subprocess.STDOUT)
        log.close()


# --- PostgreSQL and Redis of their own, for the fault run ---------------------------------------


def _postgres_bin(tool: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"))
    if not found:
        raise RuntimeError("PostgreSQL server tools missing (apt-get install postgresql)")
    return found[-1]


def _as_postgres_user(command: list[str]) -> list[str]:
    """initdb and the server refuse to run as root: as root, run them as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class PrivatePostgres:
    """A PostgreSQL server of its own (initdb, pg_ctl) on a free port, trust authentication."""

    folder: Path
    port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _pg_ctl(self, *args: str) -> None:
        """pg_ctl's output goes to a file: the server it starts inherits it, and a pipe would
        keep this call waiting for as long as the server runs."""
        with open(self.folder / "pg_ctl.log", "a") as log:
            subprocess.run(_as_postgres_user([_postgres_bin("pg_ctl"), "-D",
                                              str(self.folder / "data"), *args]),
                           check=True, stdout=log, stderr=log)

    def create(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            (self.folder / "pg_ctl.log").touch()
            shutil.chown(self.folder / "pg_ctl.log", "postgres", "postgres")
        subprocess.run(_as_postgres_user([_postgres_bin("initdb"), "-D", str(self.folder / "data"),
                                          "-U", "postgres", "--auth=trust", "--no-sync",
                                          "--encoding=UTF8", "--locale=C.UTF-8"]),
                       check=True, capture_output=True)

    def start(self) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
                   "-c max_connections=200 -c fsync=on")
        self._pg_ctl("-o", options, "-l", str(self.folder / "postgres.log"), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("-m", mode, "-w", "stop")

    def restart(self) -> None:
        self._pg_ctl("-m", "fast", "-l", str(self.folder / "postgres.log"), "-w", "restart")

    def running(self) -> bool:
        return (self.folder / "data" / "postmaster.pid").exists()


@contextmanager
def private_postgres():
    """A server of its own in a folder of its own (not under the caller's: as root the server
    runs as the postgres user, who must reach its folder), removed on the way out."""
    server = PrivatePostgres(Path(tempfile.mkdtemp(prefix="webapp-postgres-")))
    try:
        server.create()
        server.start()
        yield server
    finally:
        if server.running():
            server.stop("immediate")
        shutil.rmtree(server.folder, ignore_errors=True)


@dataclass
class PrivateRedis:
    """A redis-server of its own on a free port, keeping nothing on disk."""

    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = open(self.folder / "redis.log", "a")  # noqa: SIM115
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=log, stderr=log, start_new_session=True)
        log.close()
        wait_for("Redis", self._answers, 30)

    def _answers(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_timeout=1).ping()
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process:
            stop_group(self.process)


@contextmanager
def private_redis(folder: Path):
    server = PrivateRedis(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()
