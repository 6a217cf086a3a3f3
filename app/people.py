"""Who the viewer may see behind a figure: everyone, one recruiter's applications, or no one.

    >>> scope()            # no access file (no sign-in configured): everyone
    Scope(everyone=True, recruiter_id=None)

With an access file (queries/access.py), a signed-in admin or leader sees everyone, a recruiter
their own applications (their recruiter id) and anyone else no one: deny by default. The sign-in
itself is the app's (st.login); `viewer_email` is the one hook it needs.
"""

from dataclasses import dataclass

import pandas as pd

from queries.access import AccessError, load_access


@dataclass(frozen=True)
class Scope:
    everyone: bool
    recruiter_id: str | None = None  # with everyone False: this recruiter's only ("" none)

    @property
    def anyone(self) -> bool:
        return self.everyone or self.recruiter_id is not None

    def keep(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of applications this viewer may see (recruiter_id column)."""
        if self.everyone:
            return frame
        if self.recruiter_id is None:
            return frame.iloc[0:0]
        return frame[frame["recruiter_id"].fillna("") == self.recruiter_id]


def viewer_email() -> str | None:
    """The signed-in viewer's address, None when nobody is signed in (or sign-in is off)."""
    import streamlit as st

    try:
        return st.user.email if st.user.is_logged_in else None
    except Exception:  # no [auth] configured: st.user has no sign-in state
        return None


def scope(email: str | None = None, access=None) -> Scope:
    """What the viewer may see: everyone when no access file is configured, else by role."""
    try:
        access = access if access is not None else load_access()
    except AccessError:
        return Scope(everyone=False)  # a broken access file opens nothing
    if access is None:
        return Scope(everyone=True)
    person = access.person(email if email is not None else viewer_email())
    if person is None or person.role is None:
        return Scope(everyone=False)
    if person.sees_everyone:
        return Scope(everyone=True)
    return Scope(everyone=False, recruiter_id=person.recruiter_id or "")


def may_set_targets(email: str | None = None, access=None) -> bool:
    """Admins set targets; without an access file (no sign-in) whoever runs the app does."""
    try:
        access = access if access is not None else load_access()
    except AccessError:
        return False
    if access is None:
        return True
    return access.person(email if email is not None else viewer_email()).may_load
