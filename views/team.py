"""Team follow-up: each recruiter's figures, and who still needs a call today."""

import re
from datetime import date

import streamlit as st

from app import auth, exports, state, tables
from app import format as fmt

filters = state.current_filters()
state.prefetch([("call_list", None)], report=(), recruiters=True)
report = state.report((), filters, recruiters=True)  # its per-recruiter table only

st.title("Team follow-up")
st.caption(f"Rejected interviewees are told within {filters.notice_sla_days:g} days (the notice "
           f"SLA, in Settings); figures over fewer than {fmt.MIN_N} cases show “—”.")
people = tables.recruiters(report["recruiters"],
                           state.question("rejection_notices", group_by="recruiter"),
                           state.question("first_response", group_by="recruiter"))
if people.frame.empty:
    st.info("No recruiter has applications or rejected interviewees in this period.",
            icon=":material/info:")
else:
    st.dataframe(people.frame, hide_index=True, key="team_table", placeholder=fmt.DASH,
                 column_config=people.config(tables.RECRUITER_HELP))
    exports.buttons(people.frame, f"team-{date.today():%Y-%m-%d}", "team_table", people.kinds)

st.header("Call list", anchor="call-list")
calls = state.question("call_list")
choices = auth.my_list({None: "Everyone"} | tables.recruiter_choices(calls))  # a recruiter: theirs
recruiter = st.columns([1, 2])[0].selectbox(
    "My list", list(choices), format_func=choices.__getitem__, key="my_list", bind="query-params",
    disabled=auth.locked(),
    help="One recruiter's calls only; bookmark the page to come back to your list.")
mine = tables.call_list(tables.mine(calls, recruiter))
overdue = int((mine["Status"] == "Overdue").sum())
reach = f"rejected within the last {filters.call_list_days:g} days (in Settings), whatever the period"
if mine.empty:
    st.success(f"Nobody is waiting: every rejected interviewee {reach} has been told.",
               icon=":material/check_circle:")
else:
    st.markdown(f"**{len(mine):,} rejected interviewees still need a call**: {overdue:,} overdue, "
                f"{len(mine) - overdue:,} within the SLA. The longest waiting first; everyone "
                f"{reach}.")
    link = st.column_config.LinkColumn
    st.dataframe(mine, hide_index=True, key="call_list_table", placeholder=fmt.DASH, column_config={
        "Phone": st.column_config.TextColumn(), "Days waiting": st.column_config.NumberColumn(
            format="%d d"), "Rejected on": st.column_config.DateColumn(format="YYYY-MM-DD"),
        "Call": link(display_text=":material/call:", help="Tap to call from a phone"),
        "E-mail": st.column_config.TextColumn(),
        "In the ATS": link(display_text="Open", help="The candidate in Greenhouse or Lever")})
    who = re.sub(r"[^a-z0-9]+", "-", choices[recruiter].lower()) if recruiter is not None \
        else "everyone"
    exports.buttons(tables.call_list_download(mine), f"call-list-{who}-{date.today():%Y-%m-%d}",
                    "call_list", {"Rejected on": "date", "Days waiting": "count"},
                    label="Download the call list", audited="call list")
