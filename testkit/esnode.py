"""A throwaway Elasticsearch node for tests and benchmarks, from Maven Central's test distribution.

The integ-test-zip has no bundled JDK (Java 17 runs 8.x), refuses to run as root (we drop
to `nobody`), and carries x-pack security (switched off for a loopback test node).
Run `python -m testkit.esnode` to keep one in the foreground (`python -m testkit.esnode 3`: a
cluster of three nodes, as tests/test_cluster.py starts).
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

CONFIG = """cluster.name: {cluster}
node.name: {name}
{discovery}
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
SINGLE = "discovery.type: single-node"
# a node of a cluster: it finds the others on their transport ports, and the first election
# is among all of them (a node that started alone never forms a cluster of its own)
MEMBER = "discovery.seed_hosts: [{seeds}]\ncluster.initial_master_nodes: [{names}]"


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

    def __init__(self, heap: str = "512m", name: str = "test-node", cluster: str = "newsmon-test",
                 discovery: str = SINGLE):
        self.heap, self.name, self.cluster, self.discovery = heap, name, cluster, discovery
        self.port = free_port()
        self.transport = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.workdir: Path | None = None

    def start(self, timeout: float = 120) -> "ElasticNode":
        self.launch()
        self._wait(timeout)
        return self

    def launch(self) -> None:
        """Start the process and return at once (a cluster's nodes wait for each other)."""
        home = distribution()
        self.workdir = Path(tempfile.mkdtemp(prefix="newsmon-es-"))
        conf = self.workdir / "config"
        shutil.copytree(home / "config", conf)
        for sub in ("data", "logs", "tmp"):
            (self.workdir / sub).mkdir()
        (conf / "elasticsearch.yml").write_text(CONFIG.format(
            cluster=self.cluster, name=self.name, discovery=self.discovery, port=self.port,
            transport=self.transport, data=self.workdir / "data", logs=self.workdir / "logs"))
        if os.geteuid() == 0:
            # Elasticsearch will not run as root: hand the node's own folders to `nobody`.
            subprocess.run(["chown", "-R", "nobody:nogroup", str(self.workdir)], check=True)
            self.workdir.chmod(0o755)
        self.log = open(self.workdir / "stdout.log", "ab")
        self._launch(home)

    def _wait(self, timeout: float, nodes: int = 1) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise NodeError(f"Elasticsearch {self.name} exited with {self.proc.returncode}: {self.tail()}")
            try:
                health = self.health(f"wait_for_status=yellow&wait_for_nodes={nodes}&timeout=1s")
                if health.get("status") in ("yellow", "green") and health.get("number_of_nodes", 0) >= nodes:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        tail = self.tail()  # read before stop() removes the folder with the log
        self.stop()
        raise NodeError(f"Elasticsearch {self.name} did not answer within {timeout:.0f}s: {tail}")

    def health(self, params: str = "") -> dict:
        """The cluster's health as this node sees it (an OSError when it does not answer)."""
        with urllib.request.urlopen(f"{self.url}/_cluster/health?{params}", timeout=5) as r:
            return json.load(r)

    def tail(self, chars: int = 2000) -> str:
        try:
            return (self.workdir / "stdout.log").read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def pause(self) -> None:
        """Stop the process but keep its data, so `resume()` brings the same index back."""
        self._terminate()

    def kill(self) -> None:
        """SIGKILL: the node gone at once, without a word to its cluster (its data stays)."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(60)

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


class ElasticCluster:
    """`size` nodes of one cluster on loopback, each with its own folders and a small heap: for
    tests of replicas and of a node going away. `url` names every node (a store URL of several
    hosts); `nodes[i].kill()` loses one at once. Bringing a killed node back (`resume()`) is not
tested: tried once, on a cluster red for want of replicas, it did not answer within 300 s."""

    def __init__(self, size: int = 3, heap: str = "320m"):
        # a name of its own, so a node of another test run on this machine can never join
        name = f"newsmon-test-{os.getpid()}-{free_port()}"
        self.nodes = [ElasticNode(heap=heap, name=f"node-{i}", cluster=name) for i in range(1, size + 1)]
        seeds = ", ".join(f'"127.0.0.1:{n.transport}"' for n in self.nodes)
        names = ", ".join(f'"{n.name}"' for n in self.nodes)
        for node in self.nodes:
            node.discovery = MEMBER.format(seeds=seeds, names=names)
        self.url = "http://" + ",".join(f"127.0.0.1:{n.port}" for n in self.nodes)

    def start(self, timeout: float = 300) -> "ElasticCluster":
        """Launch every node, then wait until each sees all of them in one cluster."""
        try:
            for node in self.nodes:
                node.launch()
            for node in self.nodes:
                node._wait(timeout, nodes=len(self.nodes))
        except BaseException:
            self.stop()
            raise
        return self

    def master(self) -> ElasticNode:
        """The elected master, as the first answering node reports it."""
        for node in self.running():
            try:
                with urllib.request.urlopen(f"{node.url}/_cat/master?format=json", timeout=5) as r:
                    name = json.load(r)[0]["node"]
                return next(n for n in self.nodes if n.name == name)
            except OSError:
                continue
        raise NodeError("no node of the cluster answers")

    def running(self) -> list[ElasticNode]:
        return [n for n in self.nodes if n.proc and n.proc.poll() is None]

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()

    def __enter__(self) -> "ElasticCluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


if __name__ == "__main__":
    import sys

    # `python -m testkit.esnode 3`: a cluster of three on loopback instead of one node
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    with (ElasticCluster(size) if size > 1 else ElasticNode(heap="1g")) as started:
        print(f"Elasticsearch {ES_VERSION} at {started.url} (Ctrl-C stops it)", flush=True)
        try:
            (started.nodes[0] if size > 1 else started).proc.wait()
        except KeyboardInterrupt:
            pass
