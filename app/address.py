"""Page addresses: a control bound to the URL is read by its display label, case-insensitively
(`?rt_by=recruiter` picks "Recruiter"), and a value that cannot be used says so instead of
vanishing.

    address.resolve("rt_by", {"department": "Department", "recruiter": "Recruiter"}, "Break down by")
    # before st.segmented_control(..., key="rt_by", bind="query-params")
"""

import streamlit as st

NOTES = "_address_notes"


def match(raw: str, choices: dict) -> tuple[bool, object]:
    """(found, value): the choice whose label (or value) equals raw, ignoring case and spaces."""
    wanted = raw.strip().casefold()
    for value, label in choices.items():
        if value is not None and wanted in (str(label).casefold(), str(value).casefold()):
            return True, value
    return False, None


def resolve(key: str, choices: dict, name: str) -> None:
    """Before a bound widget is drawn on a session's first look at this key: set its value
    from the URL's (case-insensitive label or value), or note that the URL's value is not one
    of the choices (notes() shows it)."""
    raw = st.query_params.get(key)
    if raw is None or key in st.session_state or st.session_state.get(f"_address_{key}") == raw:
        return
    st.session_state[f"_address_{key}"] = raw
    found, value = match(raw, choices)
    if found:
        st.session_state[key] = value
    else:
        st.session_state.setdefault(NOTES, []).append(
            f"The address asks for {name} “{raw}”, which is not one of its choices here: "
            "showing the default instead.")


def notes() -> None:
    """Say once what the address asked for that could not be used."""
    for note in st.session_state.pop(NOTES, []):
        st.warning(note, icon=":material/link_off:")
