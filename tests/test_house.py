"""The house's rules, checked on the code itself: layers, who reads the environment, sizes, the README's map."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("crawler", "spiders", "index", "monitor", "sampleweb")
NOT_CODE = {".venv", ".cache", ".git", "test-artifacts", "__pycache__"}


def test_the_import_layers_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]


def _environment_reads(path: Path) -> list[str]:
    """Each place a module reads or writes the process environment (os.environ, os.getenv, os.putenv)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "putenv", "unsetenv", "environb"):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} os.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            found += [f"{path.relative_to(ROOT)}:{node.lineno} from os import {a.name}" for a in node.names
                      if a.name in ("environ", "getenv", "putenv", "environb")]
    return found


def test_only_the_config_module_reads_the_environment():
    readers = [hit for package in PRODUCT for path in sorted((ROOT / package).rglob("*.py"))
               for hit in _environment_reads(path)]
    config_reads = [hit for hit in readers if hit.startswith("monitor/config.py:")]
    assert config_reads, "the scan found no read in monitor/config.py: it cannot see os.environ"
    assert [hit for hit in readers if not hit.startswith("monitor/config.py:")] == []


def test_no_product_function_or_module_is_over_the_size_limits():
    run = subprocess.run([sys.executable, str(ROOT / ".ci" / "sizes.py")], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout


def _code_folders() -> set[str]:
    """Every folder of the repository that holds Python modules, as `path/`."""
    folders = set()
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts[:-1]
        if parts and not any(p in NOT_CODE or p.startswith(".") or p.endswith(".egg-info") for p in parts):
            folders.add("/".join(parts) + "/")
    return folders


def _readme_table_folders() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## How it works", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    return {m.group(1) for m in re.finditer(r"^\| `([^`]+/)` \|", section, re.MULTILINE)}


def test_the_readme_map_names_every_code_folder_and_nothing_else():
    folders = _code_folders()
    assert {"crawler/", "index/", "monitor/"} <= folders
    assert _readme_table_folders() == folders
