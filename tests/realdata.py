"""Locate ../shared/realdata: tests that need it skip only where it is absent outside CI."""
from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"


def realdata(*parts: str) -> Path:
    """Path inside realdata; skips the test when the folder is missing (never in CI)."""
    if not REALDATA.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{REALDATA} missing in CI")
        pytest.skip("../shared/realdata not present")
    return REALDATA.joinpath(*parts)


def rows(folder: str, keep=lambda row: True) -> list:
    """Manifest rows to parametrize with, safe at collection time.

    Without ../shared one skipped param stands in (a collection error in CI, where it must exist).
    """
    if REALDATA.is_dir() or os.environ.get("CI"):
        return [row for row in manifest(folder) if keep(row)]
    return [pytest.param(None, marks=pytest.mark.skip(reason="../shared/realdata not present"), id="no-realdata")]


def manifest(folder: str) -> list[dict]:
    with open(realdata(folder, "manifest.tsv"), encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))
