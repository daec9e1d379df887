"""The house's size limits for product code: no function over 60 lines, no module over 400.

Run by .ci/run and by tests/test_house.py. The sample web's texts (sampleweb/text_*.py) are
sentence tables, not code, and are left out. Prints each breach and exits 1 when there is one.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

PRODUCT = ("crawler", "spiders", "index", "monitor", "sampleweb")
MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 400


def is_sample_text(path: Path) -> bool:
    return path.parent.name == "sampleweb" and path.name.startswith("text_")


def breaches(root: Path) -> list[str]:
    found = []
    for package in PRODUCT:
        for path in sorted((root / package).rglob("*.py")):
            if is_sample_text(path):
                continue
            source = path.read_text(encoding="utf-8")
            name = path.relative_to(root).as_posix()
            lines = source.count("\n")
            if lines > MAX_MODULE_LINES:
                found.append(f"{name}: {lines} lines (at most {MAX_MODULE_LINES})")
            for node in ast.walk(ast.parse(source, name)):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    length = node.end_lineno - node.lineno + 1
                    if length > MAX_FUNCTION_LINES:
                        found.append(f"{name}:{node.lineno} {node.name}(): {length} lines (at most {MAX_FUNCTION_LINES})")
    return found


def main() -> int:
    found = breaches(Path(__file__).resolve().parents[1])
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
