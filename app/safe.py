"""Values from an export are text: never HTML, never markdown.

Streamlit's st.markdown, st.caption, st.error and friends read their body as markdown, and
plotly reads its labels, titles and hover text as a little HTML (<a href>, <b>, <br>...). A
department named `<a href=...>` or a header cell written `**...**` must show as typed.

    md("**a** <b>")            ->  \\*\\*a\\*\\* \\<b\\>   (shows: **a** <b>)
    plotly_text("<a href=x>")  ->  &lt;a href=x&gt;       (shows: <a href=x>)
"""

import html
import re

import pandas as pd

# CommonMark: any ASCII punctuation character may be backslash-escaped, and is then literal
_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")


def md(text: object) -> str:
    """Text to put in a markdown body (st.error, st.caption...) so that its punctuation shows as
    typed; line breaks become spaces (a body is one paragraph). Markdown still turns a bare web
    or e-mail address into a link: an export's values go in text elements (st.text,
    st.dataframe) instead."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def plotly_text(value: object) -> object:
    """A label for a plotly figure that shows as typed (plotly decodes entities when drawing)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return value
    return html.escape(str(value), quote=False)


def plotly_labels(values: pd.Series) -> pd.Series:
    return values.map(plotly_text)
