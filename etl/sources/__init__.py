"""Export formats: one module per format, each mapping its export into the generic tables."""

import importlib
from pathlib import Path
from types import ModuleType

from etl.contract import ExportError

# format name -> module; detection tries them in this order
FORMATS = {
    "generic": "generic",
    "greenhouse": "greenhouse",
    "lever": "lever",
    "fivetran-greenhouse": "fivetran_greenhouse",
    "fivetran-lever": "fivetran_lever",
    "greenhouse-v1": "greenhouse_v1",
    "greenhouse-v3": "greenhouse_v3",
}
DETECTED = ("generic", "greenhouse", "lever", "fivetran-greenhouse", "fivetran-lever")


def module(fmt: str) -> ModuleType:
    return importlib.import_module(f"etl.sources.{FORMATS[fmt]}")


def detect(folder: Path) -> str:
    """The format of an export folder, told from its files."""
    for fmt in DETECTED:
        if module(fmt).detect(folder):
            return fmt
    raise ExportError(
        f"{folder}: not a known export (expected applications.csv for the generic format, "
        "applications.json for Greenhouse, opportunities.json for Lever, or Fivetran's "
        "application.csv / opportunity.csv tables)")
