"""Reciprocal: how a company and its candidates treat each other.

    streamlit run dashboard.py        (database: env CX_DB, else data/cx.duckdb)

The frame only: page config, the shared sidebar filters and the pages (views/*.py). The pages
live in views/, not pages/: a pages/ folder beside the entry point switches Streamlit to its
legacy multipage mode for a server's first run (a deep link then shows "Page not found") and for
every AppTest rerun (which then skips this script, its sidebar and its filters).
"""

import streamlit as st

from app import auth, freshness, state
from queries.runner import DatabaseError, fallback_warning

st.set_page_config(page_title="Reciprocal", page_icon=":material/handshake:", layout="wide")
if not st.get_option("client.disableDataExport"):
    # st.dataframe's own CSV export bypasses our neutralising downloads: keep it off everywhere
    st.set_option("client.disableDataExport", True)
    st.rerun()

PAGES = [
    st.Page("views/overview.py", title="Overview", icon=":material/dashboard:",
            url_path="home", default=True),
    st.Page("views/response_times.py", title="Response times", icon=":material/schedule:",
            url_path="response-times"),
    st.Page("views/closing_the_loop.py", title="Closing the loop", icon=":material/call:",
            url_path="closing-the-loop"),
    st.Page("views/offers.py", title="Offers", icon=":material/contract:", url_path="offers"),
    st.Page("views/team.py", title="Team follow-up", icon=":material/groups:", url_path="team"),
    st.Page("views/review.py", title="Monthly review", icon=":material/calendar_month:",
            url_path="review"),
    st.Page("views/data.py", title="Data", icon=":material/database:", url_path="data"),
]

# the default page is served at "/": /overview (as bookmarked and linked) shows it too
ALIASES = [st.Page("views/overview.py", title="Overview", url_path="overview", visibility="hidden")]
auth.gate(PAGES + ALIASES)  # who is looking, before any data is read; else a stop page
page = st.navigation(PAGES + ALIASES)
try:
    state.ensure_database()
    state.start_run()
    state.watch()  # newly published versions are opened and warmed before anyone asks
    if warning := fallback_warning():
        st.warning(warning, icon=":material/warning:")
    state.sidebar(filters=page.url_path != "data")  # the Data page covers every load
except DatabaseError as e:
    st.error(str(e), icon=":material/error:")
    st.stop()
state.sample_notice()
freshness.warning(state.question("last_load", state.Filters()))
state.filter_notes()
page.run()
