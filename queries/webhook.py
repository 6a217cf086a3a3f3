"""A chat's incoming webhook (CX_WEBHOOK_URL): Slack or Microsoft Teams, told apart by the
address, one plain JSON POST (requests), never following a redirect.

    Slack   https://hooks.slack.com/services/T…/B…/…                -> {"text": …} (mrkdwn)
    Teams   https://….webhook.office.com/webhookb2/…, Power Automate workflows
            (….logic.azure.com/workflows/…, ….powerplatform.com/…/workflows/…)
                                                                    -> an Adaptive Card message

The address is a credential (whoever holds it can post): it is sent over HTTPS only (http is
allowed on the loopback interface, for tests), and no message, note or error shows more of it
than its host.
"""

import ipaddress
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

SLACK_HOSTS = ("hooks.slack.com",)
TEAMS_HOSTS = ("webhook.office.com", "outlook.office.com", "logic.azure.com", "powerplatform.com")
CARD = "application/vnd.microsoft.card.adaptive"


class WebhookError(Exception):
    """The webhook cannot be used or refused the message: one sentence, without the address."""


@dataclass(frozen=True)
class Webhook:
    kind: str  # "slack" or "teams"
    url: str = field(repr=False)

    @classmethod
    def from_env(cls, env) -> "Webhook | None":
        url = (env.get("CX_WEBHOOK_URL") or "").strip()
        return cls.parse(url) if url else None

    @classmethod
    def parse(cls, url: str) -> "Webhook":
        """The webhook at url; WebhookError for an address that is not one, or not safe."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme != "https" and not (parts.scheme == "http" and is_loopback(host)):
            raise WebhookError("CX_WEBHOOK_URL must be an https:// address")
        if parts.username or parts.password:
            raise WebhookError("CX_WEBHOOK_URL must not hold a user name or password")
        kind = kind_of(host, parts.path)
        if kind is None:
            raise WebhookError(f"CX_WEBHOOK_URL ({host}) is not a Slack or Microsoft Teams "
                               "incoming webhook address")
        return cls(kind, url)

    @property
    def description(self) -> str:
        name = "Slack" if self.kind == "slack" else "Microsoft Teams"
        return f"the {name} webhook at {urlsplit(self.url).hostname}"

    def payload(self, title: str, text: str, link: str | None) -> dict:
        return slack_payload(title, text, link) if self.kind == "slack" \
            else teams_payload(title, text, link)

    def post(self, payload: dict, timeout: float = 20) -> None:
        """POST the payload as JSON; WebhookError unless the answer is a 2xx."""
        try:
            answer = requests.post(self.url, json=payload, timeout=timeout, allow_redirects=False)
        except requests.RequestException as e:
            raise WebhookError(f"cannot reach {urlsplit(self.url).hostname} "
                               f"({e.__class__.__name__})") from None
        if 300 <= answer.status_code < 400:
            raise WebhookError(f"the webhook answered with a redirect (HTTP {answer.status_code}), "
                               "which is not followed")
        if not 200 <= answer.status_code < 300:
            raise WebhookError(f"the webhook answered HTTP {answer.status_code}")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def kind_of(host: str, path: str) -> str | None:
    """Slack or Teams by the host, else (a proxy, a test receiver) by the path's shape."""
    if any(host == h or host.endswith("." + h) for h in SLACK_HOSTS):
        return "slack"
    if any(host == h or host.endswith("." + h) for h in TEAMS_HOSTS):
        return "teams"
    if path.startswith("/services/"):
        return "slack"
    if "/webhookb2/" in path or "/workflows/" in path:
        return "teams"
    return None


def chat_lines(text: str) -> list[tuple[str, str]]:
    """The digest's Markdown as (style, line) pairs for a chat: headings, table rows as
    "left · right", everything else as it is."""
    out = []
    for line in text.splitlines():
        if line.startswith("#"):
            out.append(("heading", line.lstrip("#").strip()))
        elif re.fullmatch(r"\|[-| ]*\|", line):
            continue
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            out.append(("line", " · ".join(c for c in cells if c)))
        else:
            out.append(("line", line))
    return out


def slack_escape(text: str) -> str:
    """Slack's control characters: nothing in the text becomes a link or a mention."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(title: str, text: str, link: str | None) -> dict:
    lines = [f"*{slack_escape(title)}*"]
    for style, line in chat_lines(text)[1:]:  # the first heading is the title
        lines.append(f"*{slack_escape(line)}*" if style == "heading" else slack_escape(line))
    if link:
        lines += ["", f"<{link}|Open the dashboard>"]
    return {"text": "\n".join(lines)}


def teams_payload(title: str, text: str, link: str | None) -> dict:
    """An Adaptive Card (both Teams' incoming webhooks and its workflows take it). Its lines
    are TextRuns, which Teams shows as plain text: nothing in them renders as Markdown."""
    def line(text: str, bold: bool = False, size: str = "Default") -> dict:
        run = {"type": "TextRun", "text": text or " ", "size": size}
        if bold:
            run["weight"] = "Bolder"
        return {"type": "RichTextBlock", "inlines": [run], "spacing": "Small"}

    body = [line(title, bold=True, size="Medium")]
    body += [line(text, bold=style == "heading") for style, text in chat_lines(text)[1:]]
    card = {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "version": "1.4", "body": body}
    if link:
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Open the dashboard", "url": link}]
    return {"type": "message", "attachments": [{"contentType": CARD, "content": card}]}
