"""A throwaway Elasticsearch node for tests and benchmarks, from Maven Central's test distribution.

The integ-test-zip has no bundled JDK (Java 17 runs 8.x), refuses to run as root (we drop
to `nobody`), and carries x-pack security (switched off for a loopback test node).
Run `python -m testkit.esnode` to keep one in the foreground.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

ES_VERSION = os.environ.get("NEWSMON_ES_VERSION", "8.19.21")
ARTIFACT = f"org.elasticsearch.distribution.integ-test-zip:elasticsearch:{ES_VERSION}:zip"
CACHE = Path(os.environ.get("NEWSMON_ES_CACHE", Path(__file__).resolve().parents[1] / ".cache" / "elasticsearch"))

CONFIG = """cluster.name: newsmon-test
node.name: test-node
discovery.type: single-node
network.host: 127.0.0.1
http.port: {port}
transport.port: {transport}
path.data: {data}
path.logs: {logs}
xpack.security.enabled: false
xpack.ml.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
"""


class NodeError(RuntimeError):
    """The node could not be fetched or started; the message says why."""


def java_home() -> str:
    """ES_JAVA_HOME: $ES_JAVA_HOME, $JAVA_HOME, or the JDK behind `java` on PATH."""
    for var in ("ES_JAVA_HOME", "JAVA_HOME"):
        if os.environ.get(var):
            return os.environ[var]
    java = shutil.which("java")
    if not java:
        raise NodeError("no Java found: Elasticsearch 8 needs Java 17+ (set ES_JAVA_HOME)")
    return str(Path(os.path.realpath(java)).parent.parent)


def distribution() -> Path:
    """The unpacked distribution, downloaded with Maven once into the cache folder."""
    home = CACHE / f"elasticsearch-{ES_VERSION}"
    if (home / "bin" / "elasticsearch").exists():
        return home
    CACHE.mkdir(parents=True, exist_ok=True)
    # two test runs starting at once: one downloads and unpacks, the other waits for it
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _download(home)


def _download(home: Path) -> Path:
    if (home / "bin" / "elasticsearch").exists():
        return home
    archive = CACHE / f"elasticsearch-{ES_VERSION}.zip"
    if not archive.exists():
        cmd = ["mvn", "-q", "-B", "dependency:copy", f"-Dartifact={ARTIFACT}", f"-DoutputDirectory={CACHE}"]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1200)
        if proc.returncode != 0 or not archive.exists():
            raise NodeError(f"could not fetch {ARTIFACT} with Maven: {proc.stdout[-500:]} {proc.stderr[-500:]}")
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(CACHE)
    for script in (home / "bin").iterdir():
        script.chmod(0o755)
    if not (home / "bin" / "elasticsearch").exists():
        raise NodeError(f"{archive} did not unpack into {home}")
    return home


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ElasticNode:
    """Start with `start()`, stop with `stop()` (also as a context manager)."""

    def __init__(self, heap: str = "512m"):
        self.heap = heap
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.workdir: Path | None = None

    def start(self, timeout: float = 120) -> "ElasticNode":
        home = distribution()
        self.workdir = Path(tempfile.mkdtemp(prefix="newsmon-es-"))
        conf = self.workdir / "config"
        shutil.copytree(home / "config", conf)
        for sub in ("data", "logs", "tmp"):
            (self.workdir / sub).mkdir()
        (conf / "elasticsearch.yml").write_text(CONFIG.format(
            port=self.port, transport=free_port(), data=self.workdir / "data", logs=self.workdir / "logs"))
        if os.geteuid() == 0:
            # Elasticsearch will not run as root: hand the node's own folders to `nobody`.
            subprocess.run(["chown", "-R", "nobody:nogroup", str(self.workdir)], check=True)
            self.workdir.chmod(0o755)
        self.log = open(self.workdir / "stdout.log", "ab")
        self._launch(home)
        self._wait(timeout)
        return self

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise NodeError(f"Elasticsearch exited with {self.proc.returncode}: {self.tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_cluster/health?wait_for_status=yellow&timeout=1s", timeout=3) as r:
                    if json.load(r).get("status") in ("yellow", "green"):
                        return
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        raise NodeError(f"Elasticsearch did not answer within {timeout:.0f}s: {self.tail()}")

    def tail(self, chars: int = 2000) -> str:
        try:
            return (self.workdir / "stdout.log").read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def pause(self) -> None:
        """Stop the process but keep its data, so `resume()` brings the same index back."""
        self._terminate()

    def resume(self, timeout: float = 120) -> None:
        self._launch(distribution())
        self._wait(timeout)

    def _launch(self, home: Path) -> None:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "ES_JAVA_HOME": java_home(),
            "ES_PATH_CONF": str(self.workdir / "config"), "ES_TMPDIR": str(self.workdir / "tmp"),
            "ES_JAVA_OPTS": f"-Xms{self.heap} -Xmx{self.heap}", "HOME": str(self.workdir),
        }
        cmd = [str(home / "bin" / "elasticsearch")]
        if os.geteuid() == 0:
            cmd = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *cmd]
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def _terminate(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def stop(self) -> None:
        self._terminate()
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> "ElasticNode":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


if __name__ == "__main__":
    with ElasticNode(heap="1g") as node:
        print(f"Elasticsearch {ES_VERSION} at {node.url} (Ctrl-C stops it)", flush=True)
        try:
            node.proc.wait()
        except KeyboardInterrupt:
            pass
