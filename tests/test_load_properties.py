"""Property: for every file, rows read = rows loaded + rows set aside, whatever the rows hold."""

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import load, rows

ids = st.sampled_from(["a1", "a2", "a3", "", "a1 "])
moments = st.sampled_from(["2025-01-01", "2025-02-30", "2025-03-01T10:00:00+02:00", "", "soon"])
statuses = st.sampled_from(["active", "REJECTED", "hired", "pending", ""])
application = st.tuples(ids, st.sampled_from(["c1", ""]), moments, statuses, moments)
message = st.tuples(st.sampled_from(["m1", "m2", "m3", ""]), ids, moments,
                    st.sampled_from(["to_candidate", "from_candidate", "up"]),
                    st.sampled_from(["email", "phone", "pigeon"]))
broken_line = st.sampled_from(["x,y", "a9,c9,2025-01-01,active,,extra", '"never closed,1'])


def csv_text(header: list[str], records: list[tuple], broken: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(records)
    return out.getvalue() + "".join(line + "\n" for line in broken)


def records(broken: list[str]) -> int:
    """A quote that never closes makes the rest of the file one record."""
    for i, line in enumerate(broken):
        if line.startswith('"never'):
            return i + 1
    return len(broken)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(apps=st.lists(application, min_size=1, max_size=8),
       messages=st.lists(message, max_size=8),
       broken=st.lists(broken_line, max_size=2))
def test_rows_read_are_loaded_or_set_aside(tmp_path_factory, apps, messages, broken):
    folder = tmp_path_factory.mktemp("export")
    (folder / "applications.csv").write_text(csv_text(
        ["application_id", "candidate_id", "applied_at", "status", "closed_at"], apps, broken))
    (folder / "communications.csv").write_text(csv_text(
        ["communication_id", "application_id", "occurred_at", "direction", "channel"], messages, []))
    db = folder / "cx.duckdb"
    summary = load(folder, db)
    apps_file, messages_file = (summary["files"][f] for f in ("applications.csv", "communications.csv"))
    assert apps_file["rows"] == len(apps) + records(broken)
    assert messages_file["rows"] == len(messages)
    for counts in summary["files"].values():
        assert counts["rows"] == counts["loaded"] + counts["rejected"]
    assert rows(db, "select count(*) from applications") == [(apps_file["loaded"],)]
    assert rows(db, "select count(*) from communications") == [(messages_file["loaded"],)]
    assert len(summary["rejected"]) == apps_file["rejected"] + messages_file["rejected"]
