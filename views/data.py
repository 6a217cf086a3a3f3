"""Data: what is loaded, what is missing, how communications were classified; load an export."""

import streamlit as st

from app import audit, auth, exports, figures, state, tables, upload
from etl.publish import database_path
from queries.runner import Filters

st.title("Data")
outcome = st.session_state.pop("upload_outcome", None)
if outcome is not None and outcome.ok:
    st.success(f"Loaded the {outcome.summary.get('format', '')} export: "
               f"{outcome.files()['Loaded'].sum():,} rows loaded, {len(outcome.set_aside()):,} set "
               "aside. The pages below and every other page now show it.",
               icon=":material/check_circle:")
    st.dataframe(outcome.files(), hide_index=True, key="upload_files",
                 column_config=tables.column_config(
                     {c: "count" for c in outcome.files().columns if c != "File"}))
    outside = state.outside_period(outcome.summary.get("origin") or outcome.summary.get("format"))
    if outside:
        st.warning(outside, icon=":material/date_range:")
    for note in outcome.summary.get("notes", []):
        st.text(note)  # the ETL's notes and errors name the export's files and columns: text
elif outcome is not None:
    st.error("Nothing was loaded:", icon=":material/error:")
    st.text(outcome.error)

st.subheader("Loads")
loads = state.question("loads", Filters())
st.caption("Each load publishes a new version of the database; every page picks it up on its "
           "next run.")
history = tables.loads(loads)
st.dataframe(history, hide_index=True, key="data_loads",
             column_config=tables.column_config(tables.LOAD_KINDS))
exports.buttons(history, "loads", "data_loads", tables.LOAD_KINDS)

st.subheader("Data gaps")
meta = state.question("data_inputs", Filters()).iloc[0]
gaps = tables.inputs(meta, loads["format"].iloc[0] if len(loads) else None)
st.dataframe(gaps, hide_index=True, key="data_inputs",
             column_config=tables.column_config({"Rows": "count"}))
exports.buttons(gaps, "data-gaps", "data_inputs", {"Rows": "count"})
if (gaps["Rows"] == 0).any():
    st.warning("Figures that need a missing input show “Unknown”, never 0.", icon=":material/help:")

st.subheader("Rows set aside")
aside = state.question("set_aside", Filters())
if aside.empty:
    st.success("Every row of the latest loads passed the checks.", icon=":material/check_circle:")
else:
    reasons = aside.groupby(["reason", "file", "origin"], as_index=False).size() \
        .set_axis(["Reason", "File", "Origin", "Rows"], axis=1)
    st.dataframe(reasons, hide_index=True, key="data_reasons",
                 column_config=tables.column_config({"Rows": "count"}))
    exports.buttons(reasons, "set-aside-reasons", "data_reasons", {"Rows": "count"})
    if auth.person().sees_everyone:  # the rows may be any recruiter's candidates
        with st.expander(f"All {len(aside):,} row{'s' if len(aside) != 1 else ''} set aside"):
            st.dataframe(aside, hide_index=True, key="data_aside")
            exports.buttons(aside, "set-aside", "data_aside", audited="rows set aside")

st.subheader("How communications were classified")
evidence = state.question("communication_evidence", Filters())
rules = tables.evidence(evidence)
st.plotly_chart(figures.counts(dict(zip(rules["rule"], rules["communications"])),
                               "Communications by the evidence for their topic and channel",
                               "Communications", "company"), key="data_evidence_chart")
st.caption("export: the export said so; keyword / call: a rule of etl/rules.toml matched the "
           "text; timing: an unlabelled message sent just after a rejection.")
with st.expander("Counts per topic, channel and evidence"):
    st.dataframe(evidence, hide_index=True, key="data_evidence",
                 column_config=tables.column_config({"communications": "count"}))
    exports.buttons(evidence, "classification", "data_evidence", {"communications": "count"})

if auth.person().may_load:  # admins only (locally: the local user); absent for everyone else
    st.subheader("Load an export")
    st.caption("A zip of an export folder (generic CSV, Greenhouse, Lever, Fivetran): loaded with "
               "the same checks as `python -m etl load`, then shown here without a restart.")
    loaded = st.session_state.get("upload_count", 0)  # each load gets a new, empty uploader
    archive = st.file_uploader("Export (.zip)", type=["zip"],
                               key="upload_zip" if not loaded else f"upload_zip_{loaded}")
    if st.button("Load this export", key="upload_load", type="primary", disabled=archive is None) \
            and archive is not None:
        with st.spinner("Loading… (large exports take a minute)"):
            outcome = upload.load_zip(archive.getvalue(), database_path(), loaded_by=auth.who())
        audit.record(auth.who(), "upload" if outcome.ok else "upload (nothing loaded)",
                     archive.name, outcome.rows_loaded())
        st.session_state["upload_outcome"] = outcome
        st.session_state["upload_count"] = loaded + 1
        st.rerun()

    st.subheader("Audit log")
    st.caption("Every download of candidate-level data and every upload, the latest first.")
    trail = audit.recent()
    st.dataframe(trail, hide_index=True, key="data_audit")
    exports.buttons(trail, "audit-log", "data_audit", {"Rows": "count"})
