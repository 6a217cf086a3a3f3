"""A figure that cannot be drawn says so, and the page draws the rest.

No value in the database may stop a page from drawing. Loads set impossible values aside, but
a database published before, or a value no check foresaw, must cost one figure at most: each
figure function of app/figures.py is `contained`, so a failure inside it gives a figure that
says, in a sentence, that it cannot be drawn.
"""

import functools
import inspect
import logging

import plotly.graph_objects as go
import plotly.io as pio

LOG = logging.getLogger(__name__)
SENTENCE = "This figure cannot be drawn from the data ({why}); the rest of the page is shown."


def contained(draw):
    """Decorate a `... -> go.Figure` function: an exception in it gives `unavailable(title)`."""
    signature = inspect.signature(draw)

    @functools.wraps(draw)
    def drawn(*args, **kwargs) -> go.Figure:
        try:
            fig = draw(*args, **kwargs)
            pio.to_json(fig, validate=False)  # a value plotly cannot send fails here, not on the page
            return fig
        except Exception as e:  # noqa: BLE001 - any failure costs this figure only
            LOG.warning("figure %s not drawn: %r", draw.__name__, e)
            title = signature.bind_partial(*args, **kwargs).arguments.get("title", "")
            return unavailable(title if isinstance(title, str) else "", e)

    return drawn


def unavailable(title: str, error: Exception) -> go.Figure:
    """An empty figure whose only content is the sentence saying why it is empty."""
    why = (str(error).splitlines() or [type(error).__name__])[0][:120] or type(error).__name__
    fig = go.Figure()
    fig.add_annotation(text=SENTENCE.format(why=why), showarrow=False, xref="paper",
                       yref="paper", x=0.5, y=0.5, font={"size": 13})
    fig.update_layout(title={"text": title, "x": 0, "xanchor": "left"},
                      xaxis={"visible": False}, yaxis={"visible": False})
    return fig
