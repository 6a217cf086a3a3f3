"""Every example written in a docstring of etl/, queries/ or app/ (a `>>>` line) runs and gives
the output written under it; an example that cannot run on its own has no place there."""

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("etl", "queries", "app")


def modules_with_examples() -> list[str]:
    """Dotted names of the packages' modules whose source holds a `>>>` example."""
    names = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if ">>>" in path.read_text(encoding="utf-8"):
                parts = path.relative_to(ROOT).with_suffix("").parts
                names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_the_examples_are_found():
    assert {"app.format", "etl.pull", "queries.access"} <= set(modules_with_examples())


@pytest.mark.parametrize("name", modules_with_examples())
def test_docstring_examples_run(name, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)  # examples name files relative to the project, as the README does
    monkeypatch.delenv("CX_BENCHMARKS", raising=False)
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report = capsys.readouterr().out
    assert result.attempted > 0, f"{name}: a `>>>` outside any docstring example"
    assert result.failed == 0, report
