"""The project's files point at the project's own docs (docs/, reference/), never at the
workspace's ../shared folder, which a checkout of the project does not have. Tests alone may
read ../shared/datasets."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIPPED = {"tests", "data"}
SUFFIXES = {".py", ".md", ".toml", ".sql", ".txt", ".cfg", ".csv", ""}
SHARED = re.compile(r"(?<![\w-])shared/(spec|guide|benchmarks|datasets|hooks)\b")


def project_files() -> list[Path]:
    """Every text file of the project outside tests/, data/ and hidden folders."""
    return [path for path in ROOT.rglob("*")
            if path.is_file() and path.suffix in SUFFIXES
            and not ({*path.relative_to(ROOT).parts[:-1]} & SKIPPED)
            and not any(part.startswith(".") and part != ".ci" for part in path.relative_to(ROOT).parts)]


def test_no_project_file_refers_to_the_shared_folder():
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in project_files()
             for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
             if SHARED.search(line)]
    assert found == []


def test_the_rule_sees_a_reference():
    assert SHARED.search("see ../shared/spec/metrics.md") and SHARED.search("`shared/datasets/`")
    assert not SHARED.search("the shared filters") and not SHARED.search("docs/metrics.md")
