"""Who the viewer may see behind a figure: everyone, one recruiter's applications, or no one.

    >>> of(Person("priya@northwind.example", "recruiter", "u101"))
    Scope(everyone=False, recruiter_id='u101')

An admin or leader sees everyone, a recruiter their own applications (their recruiter id) and
anyone else no one: deny by default. Who is looking is app/auth.py's (sign-in and the access
file's roles, or the local user).
"""

from dataclasses import dataclass

import pandas as pd

from app import auth
from queries.access import AccessError, Person, load_access


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


def scope(email: str | None = None, access=None) -> Scope:
    """What the viewer may see: by the person app/auth.py let in (sign-in and roles, or the
    local user), or, given an address and an access file, by that address's role."""
    if email is None and access is None:
        return of(auth.person())
    try:
        access = access if access is not None else load_access()
    except AccessError:
        return Scope(everyone=False)  # a broken access file opens nothing
    if access is None:
        return Scope(everyone=True)
    return of(access.person(email))


def of(person: Person) -> Scope:
    if person.role is None:
        return Scope(everyone=False)
    if person.sees_everyone:
        return Scope(everyone=True)
    return Scope(everyone=False, recruiter_id=person.recruiter_id or "")


def may_set_targets(email: str | None = None, access=None) -> bool:
    """Admins set targets (locally: whoever runs the app)."""
    if email is None and access is None:
        return auth.person().may_load
    try:
        access = access if access is not None else load_access()
    except AccessError:
        return False
    return True if access is None else access.person(email).may_load
