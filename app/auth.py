"""Who is looking, and what they may see: Streamlit's sign-in (st.login, OpenID Connect) and the
access file's roles (queries/access.py). Deny by default.

    person = auth.gate(PAGES)        # dashboard.py, first thing: draws a stop page or returns
    auth.person().may_load           # the Data page's upload
    auth.scoped("call_list", filters)  # a recruiter's candidate-level rows are their own only

Three ways to run:
- sign-in: `[auth]` in .streamlit/secrets.toml. Nobody sees anything before signing in; a
  signed-in address gets the role the access file gives its `email` claim, or a no-access page.
- local: no `[auth]`, the server bound to a loopback address (.streamlit/config.toml binds
  127.0.0.1). The person at the keyboard is the operating-system user, with every right.
- no `[auth]` on any other address: a setup page and no data, unless the operator sets
  CX_ALLOW_ANONYMOUS=1 (then everyone who reaches the server reads as a leader, under a banner;
  nobody can load data through the page).
"""

import ipaddress
import os
from dataclasses import replace
from urllib.parse import urlsplit

import streamlit as st

from app import safe
from etl.load import os_user
from queries.access import ADMIN, LEADER, RECRUITER, Access, AccessError, Person, load_access
from queries.runner import Filters

ALLOW_ANONYMOUS = "CX_ALLOW_ANONYMOUS"
ANONYMOUS = "anonymous"
# questions whose rows name people
CANDIDATE_LEVEL = frozenset({"call_list", "offers_past_deadline", "people_first_response",
                             "people_rejection_notices", "people_offers", "people_reply_times",
                             "people_no_shows", "people_withdrawals"})
NOBODY = "\x00nobody"  # a recruiter filter that matches no application
SETUP = "the README's section “Share it with your team”"
_PERSON = "_cx_person"


def sign_in_configured() -> bool:
    """Whether .streamlit/secrets.toml has an `[auth]` section (a broken file stops the app)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def is_loopback(address: str | None) -> bool:
    """Whether the server's bound address (server.address) is reachable from this machine only;
    unset means every interface."""
    address = (address or "").strip().strip("[]")
    if address.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def anonymous_allowed() -> bool:
    return os.environ.get(ALLOW_ANONYMOUS, "").strip() == "1"


def gate(pages: list) -> Person:
    """Decide who is looking, before any data is read: returns the person, or draws the sign-in,
    no-access or setup page (no data on any of them) and stops the run."""
    try:
        configured = sign_in_configured()
    except Exception as e:  # a secrets.toml that does not parse: whether to ask is unknown
        _stop(pages, ".streamlit/secrets.toml cannot be read "
              f"({e.__class__.__name__}): fix it and restart the server.")
    try:
        access = load_access()
    except AccessError as e:
        _stop(pages, f"{e}: fix the access file and reload the page.")
    if configured:
        _refuse_plain_http(pages)
        person = _signed_in(pages, access or Access())
    elif is_loopback(st.get_option("server.address")):
        person = Person(os_user(), ADMIN)
    elif anonymous_allowed():
        person = Person(ANONYMOUS, LEADER)
        st.warning(f"Anyone who can reach this server sees this dashboard without signing in "
                   f"({ALLOW_ANONYMOUS}=1 is set). To ask for sign-in, see {SETUP}.",
                   icon=":material/public:")
    else:
        _setup_page(pages)
    st.session_state[_PERSON] = person
    return person


def plain_http(auth: dict) -> list[str]:
    """The [auth] addresses that would carry a sign-in over plain HTTP to another machine
    (loopback is fine: tests and a laptop)."""
    keys = ("redirect_uri", "server_metadata_url")
    return [k for k in keys if urlsplit(str(auth.get(k, ""))).scheme != "https"
            and not is_loopback(urlsplit(str(auth.get(k, ""))).hostname)]


def _refuse_plain_http(pages: list) -> None:
    unsafe = plain_http(st.secrets["auth"])
    if unsafe:
        _stop(pages, f"In .streamlit/secrets.toml, [auth] {unsafe[0]} must be an https address "
              "(a sign-in never travels over plain HTTP beyond this machine).")


def _signed_in(pages: list, access: Access) -> Person:
    """The signed-in person (roles from the `email` claim, never `sub`), or a stop page."""
    if not st.user.get("is_logged_in", False):
        _sign_in_page(pages)
    verified = st.user.get("email_verified", True) not in (False, "false")  # when the provider says
    email = st.user.get("email")
    person = access.person(email if verified and isinstance(email, str) else None)
    if person.role is None:
        _no_access_page(pages, access)
    with st.sidebar:
        st.text(f"Signed in as {person.email} ({person.role})")
        st.button("Sign out", key="sign_out", on_click=st.logout, icon=":material/logout:")
    return person


def _sign_in_page(pages: list) -> None:
    st.navigation(pages, position="hidden")
    st.title("Reciprocal")
    st.write("Candidate-experience analytics for your team. Sign in with your company account "
             "to see it.")
    st.button("Sign in", key="sign_in", type="primary", on_click=st.login, icon=":material/login:")
    st.stop()


def _no_access_page(pages: list, access: Access) -> None:
    st.navigation(pages, position="hidden")
    st.title("No access")
    if access.contact:
        st.write(safe.md(f"The address you signed in with has no access to this dashboard. Ask "
                         f"{access.contact} to add it to the access file."))
    else:
        st.write("Nobody has access yet: whoever runs this server writes the access file "
                 "(access.toml, as access.example.toml shows).")
    st.button("Sign out", key="sign_out", on_click=st.logout, icon=":material/logout:")
    st.stop()


def _setup_page(pages: list) -> None:
    st.navigation(pages, position="hidden")
    st.title("Sign-in is not set up")
    address = st.get_option("server.address") or "every network interface"
    st.write(safe.md(f"This server listens on {address}, where other machines can reach it, "
                     "and it shows candidates' personal data only to people who have signed in."))
    st.write(safe.md(f"To share it with your team, set up sign-in: an [auth] section in "
                     f".streamlit/secrets.toml and an access file ({SETUP}). To use it on this "
                     "machine only, start it with --server.address 127.0.0.1."))
    st.stop()


def _stop(pages: list, sentence: str) -> None:
    st.navigation(pages, position="hidden")
    st.title("Reciprocal is stopped")
    st.error(safe.md(sentence), icon=":material/block:")
    st.stop()


def person() -> Person:
    """Who is looking in this run (set by gate); nobody, with no rights, before it."""
    return st.session_state.get(_PERSON) or Person("", None)


def who() -> str:
    """The name the loads history and the audit log record: the signed-in address, the
    operating-system user in local mode, or "anonymous"."""
    return person().email or ANONYMOUS


def scoped(name: str, filters: Filters) -> Filters:
    """The filters a question runs with for this person: a recruiter's candidate-level rows
    (CANDIDATE_LEVEL) are their own applications only, whatever the page or URL asked for."""
    if name not in CANDIDATE_LEVEL or person().sees_everyone:
        return filters
    mine = person().recruiter_id if person().role == RECRUITER else None
    return replace(filters, recruiter=mine or NOBODY)


def locked() -> bool:
    """Whether this person's "My list" is fixed to their own calls."""
    return not person().sees_everyone


def my_list(choices: dict) -> dict:
    """The call list's choices (recruiter id -> name) this person may pick: a recruiter's own
    list only, preselected."""
    if not locked():
        return choices
    mine = person().recruiter_id
    return {mine: choices.get(mine, person().email)} if mine else {NOBODY: "Nobody"}
