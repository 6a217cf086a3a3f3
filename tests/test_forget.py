"""`python -m etl forget` (issue 15, point 13): a candidate erased from the published database
and every version kept, remembered as hashes only, and left out of every later load.

The dashboard export's candidate c01 (Alex Moreno, alex@example.com) has one application, A01,
with 2 stage changes, 1 interview and 4 communications, and no offer.
"""

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from etl.forget import main as forget_main
from tests.helpers import DATA, cli, load, report, rows

PERSONAL = (b"alex@example.com", b"Alex Moreno", b"+1 555 0101")
COUNTS = "select (select count(*) from {t}) as n"
TABLES = ("candidates", "applications", "stage_changes", "interviews", "communications",
          "offers")


@pytest.fixture
def export(tmp_path) -> Path:
    """The dashboard export plus two rows set aside that name the candidate: a repeated
    application A01 and a repeated candidate c01."""
    folder = Path(shutil.copytree(DATA / "dashboard", tmp_path / "export"))
    with open(folder / "applications.csv", "a") as f:
        f.write("A01,c01,j1,r1,referral,2025-04-07T09:00:00Z,active,,\n")
    with open(folder / "candidates.csv", "a") as f:
        f.write("c01,Alex Moreno,alex@example.com,+1 555 0101\n")
    return folder


@pytest.fixture
def db(tmp_path, export) -> Path:
    """Published twice, so that an older version is kept beside the current one."""
    path = tmp_path / "db" / "cx.duckdb"
    load(export, path, "--origin", "demo")
    load(export, path, "--origin", "demo")
    assert sorted(p.name for p in path.parent.glob("cx.v*")) == ["cx.v000001.duckdb",
                                                                 "cx.v000002.duckdb"]
    return path


def counts(db: Path) -> dict[str, int]:
    return {t: rows(db, f"select count(*) from {t}")[0][0] for t in TABLES}


def holding_personal_data(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file() and not p.is_symlink()
                  and any(value in p.read_bytes() for value in PERSONAL))


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_forget_removes_the_candidate_everywhere_and_every_older_version(db):
    before = counts(db)
    assert before == {"candidates": 20, "applications": 21, "stage_changes": 4,
                      "interviews": 15, "communications": 62, "offers": 5}
    assert holding_personal_data(db.parent) == ["cx.v000001.duckdb", "cx.v000002.duckdb"]
    assert rows(db, "select count(*) from set_aside where reason like '%A01%' "
                    "or reason like '%c01%'")[0][0] == 4  # two rows, in each of two loads

    code, out, err = cli(forget_main, ["--candidate", "c01", "--db", db])

    assert (code, out) == (0, "")
    assert err == ("Erased 1 candidate and what hung off them: 1 application, "
                   "2 stage changes, 1 interview, 4 communications, 0 offers, 4 rows set "
                   f"aside; published {db.parent / 'cx.v000003.duckdb'} and deleted 2 older "
                   "version(s). Later loads leave them out.\n")
    assert counts(db) == {"candidates": 19, "applications": 20, "stage_changes": 2,
                          "interviews": 14, "communications": 58, "offers": 5}
    assert sorted(p.name for p in db.parent.iterdir()) == [".cx.duckdb.lock", "cx.duckdb",
                                                           "cx.v000003.duckdb"]
    assert holding_personal_data(db.parent) == []
    assert rows(db, "select count(*) from app_facts where application_id = 'A01'") == [(0,)]
    assert rows(db, "select count(*) from set_aside") == [(2,)]  # the interview, twice


def test_the_figures_are_recomputed(db):
    applications = report(db)["company"]["applications"]
    cli(forget_main, ["--candidate", "c01", "--db", db])
    assert report(db)["company"]["applications"] == applications - 1


def test_the_erasure_is_kept_as_hashes_and_the_history_says_it_happened(db):
    cli(forget_main, ["--candidate", "c01", "--origin", "demo", "--db", db])
    assert set(rows(db, "select kind, hash from erasures")) == {
        ("candidate", sha("candidate\x1fdemo\x1fc01")),
        ("email", sha("email\x1falex@example.com")),
    }
    [(fmt, notes)] = rows(db, "select format, notes from loads where load_id = 3")
    assert fmt == "erasure"
    assert json.loads(notes) == ["A candidate was erased on request: 1 candidate, "
                                 "1 application, 2 stage changes, 1 interview, "
                                 "4 communications, 0 offers, 4 rows set aside."]
    history = json.dumps(rows(db, "select * from loads"), default=str)
    assert "c01" not in history and "alex" not in history.lower()


@pytest.mark.parametrize("options", [[], ["--replace"]])
def test_reloading_the_old_export_does_not_bring_them_back(db, export, options):
    cli(forget_main, ["--email", "Alex@Example.COM", "--db", db])
    summary = load(export, db, "--origin", "demo", *options)
    assert summary["notes"] == ["1 candidate(s) erased on request were in this export and "
                                "were left out (with everything that hangs off them)"]
    assert [r for r in summary["rejected"] if "A01" in r["reason"] or "c01" in r["reason"]] == []
    # rows read = loaded + set aside + skipped: the person's rows are skipped, their repeats too
    assert {name: summary["files"][name] for name in ("applications.csv", "candidates.csv",
                                                       "interviews.csv")} == {
        "applications.csv": {"rows": 22, "loaded": 20, "rejected": 0, "skipped": 2},
        "candidates.csv": {"rows": 21, "loaded": 19, "rejected": 0, "skipped": 2},
        "interviews.csv": {"rows": 16, "loaded": 14, "rejected": 1, "skipped": 1},
    }
    assert counts(db) == {"candidates": 19, "applications": 20, "stage_changes": 2,
                          "interviews": 14, "communications": 58, "offers": 5}
    assert holding_personal_data(db.parent) == []
    assert len(rows(db, "select * from erasures")) == 2  # carried to the new version


def test_an_erasure_of_someone_not_loaded_yet_still_holds_for_later_loads(tmp_path, export):
    db = tmp_path / "db" / "cx.duckdb"
    load(DATA / "generic_full", db, "--origin", "demo")
    code, _, err = cli(forget_main, ["--candidate", "c01", "--db", db])
    assert code == 0
    assert err.startswith("Nobody matching was held; the erasure is remembered, so later "
                          "loads leave them out (")
    load(export, db, "--origin", "demo")
    assert rows(db, "select count(*) from candidates where candidate_id = 'c01'") == [(0,)]
    assert holding_personal_data(db.parent) == []


@pytest.mark.parametrize("argv, expected", [
    (["--email", "a@b.c", "--origin", "demo"],
     "error: python -m etl forget: --origin goes with --candidate (an e-mail address is erased "
     "in every origin)\n"),
    (["--candidate", " "], "error: python -m etl forget: the id or address is empty\n"),
])
def test_bad_requests_are_one_line(db, argv, expected, capsys):
    with pytest.raises(SystemExit) as stop:
        forget_main([*argv, "--db", str(db)])
    assert stop.value.code == 2
    assert capsys.readouterr().err == expected


def test_no_database_is_one_line(tmp_path):
    db = tmp_path / "none" / "cx.duckdb"
    code, _, err = cli(forget_main, ["--candidate", "c01", "--db", db])
    assert code == 2
    assert err == f"error: {db}: no database here yet, so nobody to erase\n"
    assert not db.parent.exists() or list(db.parent.iterdir()) == []


def test_other_files_are_untouched(db):
    other = db.parent / "notes.txt"
    other.write_text("kept")
    cli(forget_main, ["--candidate", "c01", "--db", db])
    assert other.read_text() == "kept" and os.path.islink(db)


def test_the_data_page_lists_the_erasure_among_the_loads(db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    cli(forget_main, ["--candidate", "c01", "--db", db])
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "dashboard.py"),
                           default_timeout=60)
    at.run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    [loads] = [d.value for d in at.dataframe if d.value.columns[0] == "Load"]
    assert list(loads["Format"]) == ["erasure", "generic", "generic"]
