"""Export values are text: HTML and markdown in them show as typed, in charts and messages.
(In a real browser: tests/test_browser_auth.py.)"""

import pandas as pd

from app import figures, safe
from app.figures import Series

LINK = '<a href="https://evil.example/">Engineering</a>'
BOLD = "**Sales** & [more](https://evil.example/)"


def test_html_in_a_label_reaches_plotly_as_entities_which_it_draws_as_typed():
    frame = pd.DataFrame({"group_key": ["j1", "j2"], "label": [LINK, BOLD],
                          "first_response_hours_median": [5.0, 6.0], "first_response_n": [9, 2]})
    fig = figures.bars_by(frame, [Series("first_response_hours_median", "first_response_n",
                                         "Our first response", "company")], "t", "Department")
    assert list(fig.data[0].y) == [
        '&lt;a href="https://evil.example/"&gt;Engineering&lt;/a&gt;',
        "**Sales** &amp; [more](https://evil.example/)"]
    assert [a.y for a in fig.layout.annotations if a.text.startswith("—")] == [fig.data[0].y[1]]


def test_html_in_a_decline_reason_reaches_plotly_as_entities():
    fig = figures.counts({"<b>money</b>": 3, "Unknown": 1}, "t", "Declines", "candidate",
                         neutral=("Unknown",))
    assert list(fig.data[0].y) == ["&lt;b&gt;money&lt;/b&gt;", "Unknown"]
    assert list(fig.data[0].marker.color) == [figures.CANDIDATE[0], figures.NEUTRAL]


def test_markdown_in_a_message_is_escaped_character_by_character():
    assert safe.md("**a** [b](https://x.example) <i>") == (
        r"\*\*a\*\* \[b\]\(https\:\/\/x\.example\) \<i\>")
    assert safe.md("line one\nline two") == "line one line two"
    assert safe.md("plain words 12") == "plain words 12"
