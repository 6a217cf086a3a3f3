"""Export formats: one module per format, each mapping its export into the generic tables."""

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, cast

from etl.contract import ExportError

if TYPE_CHECKING:  # the vendor readers' pandas is not needed to load a generic export
    from etl.sources.reader import Reader

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
# format told from the files -> what detection looks for, in the words of the error
DETECTED = {
    "generic": "applications.csv (generic CSV)",
    "greenhouse": "applications.json with Harvest v1 or v3 applications (Greenhouse)",
    "lever": "opportunities.json with Lever opportunities (Lever)",
    "fivetran-greenhouse": "application.csv with applied_at and candidate_id columns "
                           "(Fivetran's Greenhouse tables)",
    "fivetran-lever": "opportunity.csv (Fivetran's Lever tables)",
}
HIDDEN = (".", "__MACOSX")


def module(fmt: str) -> "Reader":
    """The module of a format: a Reader (etl/sources/reader.py)."""
    return cast("Reader", importlib.import_module(f"etl.sources.{FORMATS[fmt]}"))


def detect(folder: Path, shown_as: str | None = None) -> str:
    """The format of an export folder, told from its files' content (the first that fits);
    shown_as: how the error names the folder (a zip's name rather than where it was unpacked)."""
    for fmt in DETECTED:
        if module(fmt).detect(folder):
            return fmt
    raise ExportError(no_format(Path(folder), shown_as))


def no_format(folder: Path, shown_as: str | None = None) -> str:
    """The one line for a folder that fits no format: what was looked for, and what was found
    in the files it did have (e.g. an applications.json that is neither vendor's)."""
    misfits = [reason for fmt in DETECTED
               if (reason := getattr(module(fmt), "misfit", lambda _: None)(folder))]
    found = "; ".join(misfits) if misfits else "none of them is here"
    return f"{shown_as or folder}: not a known export (looked for {'; '.join(DETECTED.values())}): {found}"


def ignored(folder: Path, read: set[str]) -> list[str]:
    """The files of an export folder (relative paths) that the load did not read; hidden files
    and macOS archive folders are not part of an export and are left out."""
    folder = Path(folder)
    names = (p.relative_to(folder).as_posix() for p in sorted(folder.rglob("*")) if p.is_file())
    return [n for n in names
            if n not in read and not any(part.startswith(HIDDEN) for part in n.split("/"))]
