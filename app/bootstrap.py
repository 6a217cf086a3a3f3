"""The database a run reads: built from the sample on first start, its published version pinned
once per script run.

    bootstrap.ensure_database(); bootstrap.start_run()
    bootstrap.version()    # the published file, e.g. data/cx.v000001.duckdb
"""

import threading

import streamlit as st

from etl.load import load
from etl.publish import database_path
from etl.sample import generate
from etl.schema import SAMPLE_ORIGIN
from queries.runner import data_version

SAMPLE_APPLICATIONS, SAMPLE_SEED = 3000, 7
_bootstrap_lock = threading.Lock()


def ensure_database() -> None:
    """First start (nothing published at CX_DB): build the sample export and load it."""
    if data_version():
        return
    with st.spinner("First start: building sample data (3,000 applications) and loading it…"):
        with _bootstrap_lock:
            if not data_version():
                folder = database_path().parent / "sample"
                generate(folder, SAMPLE_APPLICATIONS, SAMPLE_SEED)
                load(folder, db=str(database_path()), origin=SAMPLE_ORIGIN)


def version() -> str:
    """The published version this script run reads: resolved once per run."""
    if "_run_version" not in st.session_state:
        st.session_state["_run_version"] = data_version()
    return st.session_state["_run_version"]


def start_run() -> None:
    """Pin the published version for this run (called first thing by dashboard.py)."""
    st.session_state["_run_version"] = data_version()
