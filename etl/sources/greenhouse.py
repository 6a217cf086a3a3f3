"""`--format greenhouse`: a Greenhouse Harvest export of either generation, told apart by shape.

Harvest v1 applications carry `applied_at` and a `jobs` list; v3 applications carry `created_at`
and a flat `job_id`. When applications.json has no records to look at, the other files decide
(notes.json and friends are v3, activity_feeds/ and scheduled_interviews.json are v1).
`--format greenhouse-v1` / `greenhouse-v3` skip the guess.
"""

from pathlib import Path

from etl.contract import ExportError, ReadOptions, Staged
from etl.sources import greenhouse_v3
from etl.sources.greenhouse_v3 import APPLICATIONS, looks_v3, sample_applications

V3_ONLY_FILES = ("notes.json", "application_stages.json", "job_interview_stages.json",
                 "rejection_details.json", "interviews.json", "job_owners.json")
V1_ONLY_FILES = ("activity_feeds", "scheduled_interviews.json")
NOT_GREENHOUSE = ("not a Greenhouse Harvest export (expected v1 records with applied_at and "
                  "jobs, or v3 records with created_at and job_id)")


def looks_v1(record: dict) -> bool:
    """A v1 application: `applied_at` and a `jobs` list."""
    return "applied_at" in record and "jobs" in record


def generation(folder: Path) -> str:
    """"v1" or "v3" for a Greenhouse export folder; ExportError when it is neither."""
    folder = Path(folder)
    records = sample_applications(folder)
    if records is None:
        raise ExportError(f"{APPLICATIONS}: not found (a Greenhouse export needs it)")
    if any(looks_v3(r) for r in records):
        return "v3"
    if any(looks_v1(r) for r in records):
        return "v1"
    if records:
        raise ExportError(f"{APPLICATIONS}: {NOT_GREENHOUSE}")
    return _generation_from_files(folder)


def _generation_from_files(folder: Path) -> str:
    if any((folder / name).exists() for name in V3_ONLY_FILES):
        return "v3"
    if any((folder / name).exists() for name in V1_ONLY_FILES):
        return "v1"
    raise ExportError(f"{APPLICATIONS}: no records to tell Greenhouse v1 from v3 (use --format "
                      "greenhouse-v1 or --format greenhouse-v3)")


def detect(folder: Path) -> bool:
    """True for a folder with applications.json (read() then says which generation, or why not)."""
    return (Path(folder) / APPLICATIONS).is_file()


def read(folder: Path, options: ReadOptions | None = None) -> Staged:
    """Read a Greenhouse export with the v1 or v3 reader, whichever its shape calls for."""
    if generation(folder) == "v3":
        return greenhouse_v3.read(folder, options)
    from etl.sources import greenhouse_v1

    return greenhouse_v1.read(folder, options)
