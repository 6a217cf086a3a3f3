"""`--format greenhouse`: a Greenhouse Harvest export of either generation, told apart by shape.

Harvest v1 applications carry `applied_at` and a `jobs` list; v3 applications carry `created_at`
and a flat `job_id`. When applications.json has no records to look at, the other files decide
(notes.json and friends are v3, activity_feeds/ and scheduled_interviews.json are v1): see
`greenhouse_common.generation`. `--format greenhouse-v1` / `greenhouse-v3` skip the guess.
"""

from pathlib import Path

from etl.contract import ExportError, LimitExceeded, ReadOptions, Staged
from etl.sources import greenhouse_v1, greenhouse_v3
from etl.sources.greenhouse_common import APPLICATIONS, generation


def detect(folder: Path) -> bool:
    """True for a folder whose applications.json holds Harvest v1 or v3 applications (or no
    records, with files only one generation has beside it): Lever's applications.json is not."""
    return (Path(folder) / APPLICATIONS).is_file() and misfit(folder) is None


def misfit(folder: Path) -> str | None:
    """Why a folder's applications.json is not a Greenhouse export; None when it is one or when
    there is no such file."""
    if not (Path(folder) / APPLICATIONS).is_file():
        return None
    try:
        generation(folder)
    except LimitExceeded:
        raise
    except ExportError as error:
        return str(error)
    return None


def read(folder: Path, options: ReadOptions | None = None) -> Staged:
    """Read a Greenhouse export with the v1 or v3 reader, whichever its shape calls for."""
    if generation(folder) == "v3":
        return greenhouse_v3.read(folder, options)
    return greenhouse_v1.read(folder, options)
