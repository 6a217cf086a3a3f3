"""`--format greenhouse`: a Greenhouse Harvest export of either generation, told apart by shape.

Harvest v1 applications carry `applied_at` and a `jobs` list; v3 applications carry `created_at`
and a flat `job_id`. When applications.json has no records to look at, the other files decide
(notes.json and friends are v3, activity_feeds/ and scheduled_interviews.json are v1): see
`greenhouse_common.generation`. `--format greenhouse-v1` / `greenhouse-v3` skip the guess.
"""

from pathlib import Path

from etl.contract import ReadOptions, Staged
from etl.sources import greenhouse_v1, greenhouse_v3
from etl.sources.greenhouse_common import APPLICATIONS, generation


def detect(folder: Path) -> bool:
    """True for a folder with applications.json (read() then says which generation, or why not)."""
    return (Path(folder) / APPLICATIONS).is_file()


def read(folder: Path, options: ReadOptions | None = None) -> Staged:
    """Read a Greenhouse export with the v1 or v3 reader, whichever its shape calls for."""
    if generation(folder) == "v3":
        return greenhouse_v3.read(folder, options)
    return greenhouse_v1.read(folder, options)
