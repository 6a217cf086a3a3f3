"""The way from an "overdue" figure to the people behind it: a link to the call list."""

import streamlit as st

TEAM_PAGE = "views/team.py"


def link_label(overdue: int | None) -> str:
    """The period's overdue figure, in words, leading to the call list.

    >>> link_label(1), link_label(None)
    ('1 rejected interviewee overdue in this period: open the call list', 'Open the call list')
    """
    if overdue is None:
        return "Open the call list"
    people = "rejected interviewee" if overdue == 1 else "rejected interviewees"
    return f"{overdue:,} {people} overdue in this period: open the call list"


def call_list_link(overdue: int | None) -> None:
    """A link to Team follow-up's call list, under the figure it explains."""
    st.page_link(TEAM_PAGE, label=link_label(overdue), icon=":material/call:",
                 help="Team follow-up: everyone still waiting for a call, whatever the period.")
