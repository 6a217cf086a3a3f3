"""Loading an uploaded export: the same ETL as the command line, in its own process (this
process holds the published database open read-only; the ETL publishes a new version)."""

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_SECONDS = 3600


@dataclass
class Outcome:
    ok: bool
    error: str = ""
    summary: dict = field(default_factory=dict)

    def files(self) -> pd.DataFrame:
        """One row per export file: rows read, loaded, set aside, skipped."""
        rows = [{"File": name, "Rows": c.get("rows", 0), "Loaded": c.get("loaded", 0),
                 "Set aside": c.get("rejected", 0), "Skipped": c.get("skipped", 0)}
                for name, c in self.summary.get("files", {}).items()]
        return pd.DataFrame(rows)

    def rows_loaded(self) -> int:
        return sum(c.get("loaded", 0) for c in self.summary.get("files", {}).values())

    def set_aside(self) -> pd.DataFrame:
        return pd.DataFrame(self.summary.get("rejected", []),
                            columns=["file", "line", "column", "reason"])


def load_zip(content: bytes, db: Path, loaded_by: str | None = None) -> Outcome:
    """Save the zip to a temporary file and run `python -m etl load ZIP --json --db DB`
    (with --loaded-by: who uploaded it, for the loads history)."""
    with tempfile.TemporaryDirectory(prefix="cx-upload-") as tmp:
        archive = Path(tmp) / "export.zip"
        archive.write_bytes(content)
        command = [sys.executable, "-m", "etl", "load", str(archive), "--json", "--db", str(db)]
        command += ["--loaded-by", loaded_by] if loaded_by else []
        try:
            done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT,
                                  timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            return Outcome(False, f"The load took longer than {TIMEOUT_SECONDS // 60} minutes "
                                  "and was stopped; load it from a shell with `python -m etl load`.")
    if done.returncode == 0:
        return Outcome(True, summary=json.loads(done.stdout))
    return Outcome(False, error_line(done.stderr))


def error_line(stderr: str) -> str:
    """The ETL's one-line error (its `error: ...` line), else the last line it printed."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line.removeprefix("error:").strip() for line in lines if line.startswith("error:")]
    return (errors or lines or ["the load failed without saying why"])[-1]
