"""The derive SQL in layers, one relation a file, and the query helpers installed by the read
side: a changed helper shows on the next question, with no reload."""

import shutil

import duckdb

from etl import derive
from queries import runner
from queries.runner import Filters, connect, run


def statements(path) -> list:
    with duckdb.connect() as parser:
        return parser.extract_statements(path.read_text())


def test_layers_run_in_order_one_relation_a_file():
    names = [f"{p.parent.name}/{p.name}" for p in derive.files()]
    assert names[:5] == ["staging/01_app_keys.sql", "staging/02_apps.sql",
                         "staging/03_comms.sql", "staging/04_interviews_keyed.sql",
                         "intermediate/01_origin_inputs.sql"]
    assert names[-2:] == ["facts/08_origin_counts.sql", "facts/09_meta.sql"]
    for path in derive.files():
        created = statements(path)
        relation = path.stem.split("_", 1)[1]
        if relation == "cohort_macros":
            assert len(created) == 2
        else:
            assert len(created) == 1, path
            assert f" {relation} as" in path.read_text(), path


def test_the_published_database_holds_no_query_helpers(dashboard_db):
    con = connect(dashboard_db)  # the connection itself: no cursor has installed them
    try:
        macros = con.execute("select function_name from duckdb_functions() "
                             "where function_name in ('share', 'in_period', 'group_name')"
                             ).fetchall()
    finally:
        con.close()
    assert macros == []


def test_a_changed_helper_shows_on_the_next_question(dashboard_db, tmp_path, monkeypatch):
    helpers = tmp_path / "macros.sql"
    shutil.copy(runner.HELPERS, helpers)
    monkeypatch.setattr(runner, "HELPERS", helpers)
    con = connect(dashboard_db)
    try:
        params = Filters().params(con)
        # the dashboard export (tests/conftest.py): A09 accepted; A10, A13 declined; A11 expired
        total = run("offers", con, **params).query("total")
        assert total["acceptance_rate"].tolist() == [0.25]
        helpers.write_text(helpers.read_text().replace(
            "create or replace temp macro share(part, whole) as part / nullif(whole, 0);",
            "create or replace temp macro share(part, whole) as round(100 * part / nullif(whole, 0));"))
        total = run("offers", con, **params).query("total")
        assert total["acceptance_rate"].tolist() == [25.0]
    finally:
        con.close()
