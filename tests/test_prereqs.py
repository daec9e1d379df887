"""`make test`'s check for Java 17 and Maven (.ci/prereqs.sh), run with a PATH we control."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(tmp_path: Path, java_version: str | None, mvn: bool) -> subprocess.CompletedProcess:
    """The script as a non-root user would run it, with only the tools it needs on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("sed", "awk", "head"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    fake = {"id": "echo 1000"}  # not root: nothing is installed, the script only says what is missing
    if java_version:
        fake["java"] = f"echo 'openjdk version \"{java_version}\" 2025-04-15' >&2"
    if mvn:
        fake["mvn"] = "true"
    for name, body in fake.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    return subprocess.run([shutil.which("sh"), str(ROOT / ".ci" / "prereqs.sh")], capture_output=True, text=True,
                          env={"PATH": str(bin_dir)}, timeout=30)


@pytest.mark.parametrize("java, mvn, missing", [
    (None, False, "missing openjdk-17-jdk-headless and maven"),
    ("11.0.2", True, "missing openjdk-17-jdk-headless ("),
    ("1.8.0_292", True, "missing openjdk-17-jdk-headless ("),
    ("17.0.15", False, "missing maven ("),
    ("21.0.1", True, None),
])
def test_prereqs_name_what_is_missing_in_one_line(tmp_path, java, mvn, missing):
    result = run(tmp_path, java, mvn)
    assert result.returncode == 0, result.stderr  # the tests still run; the Elasticsearch ones skip
    if missing is None:
        assert result.stdout == ""
    else:
        assert result.stdout.count("\n") == 1 and missing in result.stdout, result.stdout
