"""`python -m queries deliver` against a local SMTP server (aiosmtpd, STARTTLS with a certificate
made for the test by trustme, login required) and a local webhook receiver, both on 127.0.0.1.

The data: tests/data/call_list (see tests/test_call_list.py). Within the default 60 days the call
list holds B05 (Unassigned), B08 (Hal, Priya Nair u1, 5.0 days, overdue) and B03 (Cy, Tom Berg
u2, 1.5 days, pending). The access file names two leaders (maya, it), Priya = u1, Tom = u2 and
Zed = u9, who has nobody to call.
"""

import email
import email.policy
import json
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from queries import deliver
from tests.helpers import DATA, cli

PASSWORD = "s3cret-Pa55"
ACCESS = """
[leaders]
emails = ["maya@northwind.example"]
[admins]
emails = ["it@northwind.example"]
[recruiters]
"priya@northwind.example" = "u1"
"tom@northwind.example" = "u2"
"zed@northwind.example" = "u9"
"""
CANDIDATES = (DATA / "call_list" / "candidates.csv").read_text().splitlines()[1:]


def candidate_values() -> list[str]:
    """Every name, e-mail and phone of the export's candidates."""
    out = []
    for line in CANDIDATES:
        _, rest = line.split(",", 1)
        name, mail, phone = rest.rsplit(",", 2)
        out += [name, mail, phone]
    return out


@pytest.fixture(scope="module")
def calls_db(tmp_path_factory) -> Path:
    from etl.load import load

    db = tmp_path_factory.mktemp("deliver") / "cx.duckdb"
    load(DATA / "call_list", db=str(db), origin="demo")
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """aiosmtpd handler: keeps each message with its envelope; refuses bounce@ addresses."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.startswith("bounce@"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append({"to": list(envelope.rcpt_tos), "tls": session.ssl is not None,
                              "authenticated": session.authenticated,
                              "message": email.message_from_bytes(envelope.content,
                                                                  policy=email.policy.default)})
        return "250 Message accepted"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"cx" \
        and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # not handled: the server answers 535 itself


@pytest.fixture
def smtp(tmp_path):
    """An SMTP server that takes mail only after STARTTLS and a login; its CA in a file."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port(), tls_context=context,
                            require_starttls=True, auth_required=True, auth_require_tls=True,
                            authenticator=authenticate)
    controller.start()
    box.port, box.ca_file = controller.port, ca_file
    yield box
    controller.stop()


class Receiver(BaseHTTPRequestHandler):
    """Keeps every POST; /services/redirect answers 302, /services/broken 500."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.posts.append({"path": self.path, "type": self.headers["Content-Type"],
                                  "body": body})
        if self.path.startswith("/services/redirect"):
            self.send_response(302)
            self.send_header("Location", "/services/landing")
        else:
            self.send_response(500 if self.path.startswith("/services/broken") else 200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.posts = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def env(tmp_path, smtp) -> dict:
    access = tmp_path / "access.toml"
    access.write_text(ACCESS)
    return {"CX_ACCESS": str(access), "CX_SMTP_HOST": "127.0.0.1", "CX_SMTP_PORT": str(smtp.port),
            "CX_SMTP_USER": "cx", "CX_SMTP_PASSWORD": PASSWORD, "CX_SMTP_FROM": "cx@northwind.example",
            "CX_SMTP_CA_FILE": str(smtp.ca_file), "CX_DASHBOARD_URL": "https://cx.northwind.example"}


def run(db: Path, env: dict, *options: str) -> tuple[int, str, str]:
    code, out, err = cli(lambda argv: deliver.main(argv, env), [*options, "--db", db])
    assert PASSWORD not in out + err
    return code, out, err


def parts(message) -> tuple[str, str]:
    return (message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content())


def audit_lines(db: Path) -> list[dict]:
    path = db.with_name(f"{db.stem}.audit.jsonl")
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_each_recruiter_gets_their_own_call_list_and_nothing_else(calls_db, env, smtp):
    before = len(audit_lines(calls_db))
    code, out, err = run(calls_db, env, "--call-lists")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "not sent to anyone (1 row: B05): the access file names none of their recruiters "
        "(Unassigned)",
        "zed@northwind.example: nobody to call, nothing sent",
        "sent their call list (1 row: B08) to priya@northwind.example",
        "sent their call list (1 row: B03) to tom@northwind.example"]
    by_address = {m["to"][0]: m for m in smtp.messages}
    assert sorted(by_address) == ["priya@northwind.example", "tom@northwind.example"]
    assert all(m["tls"] and m["authenticated"] and len(m["to"]) == 1 for m in smtp.messages)
    text, page = parts(by_address["priya@northwind.example"]["message"])
    others = [v for v in candidate_values() if "Hal" not in v and "0208" not in v
              and not v.startswith("hal@")]
    assert "Hal <i>O'Neil</i> & Co: +1 555 0208, hal@example.com" in text
    assert "Data Analyst, rejected 2025-06-25, 5.0 days waiting, overdue" in text
    assert ("Your list on the dashboard: https://cx.northwind.example/team?my_list=Priya+Nair"
            "&call_list_days=60#call-list") in text
    assert not [v for v in others if v in text or v in page]
    tom_text, _ = parts(by_address["tom@northwind.example"]["message"])
    assert "Cy Okafor: (555) 0203, cy@example.com" in tom_text and "Hal" not in tom_text
    assert by_address["priya@northwind.example"]["message"]["Subject"] == \
        "Your call list: 1 rejected interviewee waiting for a call"
    assert [(a["who"], a["action"], a["what"], a["rows"]) for a in audit_lines(calls_db)[before:]] \
        == [("priya@northwind.example", "delivery", "call list by e-mail", 1),
            ("tom@northwind.example", "delivery", "call list by e-mail", 1)]


def test_the_e_mail_escapes_every_export_value(calls_db, env, smtp):
    run(calls_db, env, "--call-lists")
    [priya] = [m["message"] for m in smtp.messages if m["to"] == ["priya@northwind.example"]]
    _, page = parts(priya)
    assert "<td>Hal &lt;i&gt;O&#x27;Neil&lt;/i&gt; &amp; Co</td>" in page
    assert "<i>" not in page and "O'Neil" not in page
    assert '<td><a href="tel:+1-555-0208">+1 555 0208</a></td>' in page
    assert ('<a href="https://cx.northwind.example/team?my_list=Priya+Nair&amp;call_list_days=60'
            '#call-list">') in page


def test_the_digest_reaches_slack_and_the_leaders_without_candidate_data(calls_db, env, smtp,
                                                                          receiver):
    env["CX_WEBHOOK_URL"] = f"{receiver.base}/services/T000/B000/XXXX"
    code, out, err = run(calls_db, env, "--digest")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "sent the digest to the Slack webhook at 127.0.0.1",
        "sent the digest to it@northwind.example", "sent the digest to maya@northwind.example"]
    [post] = receiver.posts
    assert post["type"] == "application/json"
    payload = json.loads(post["body"])
    assert list(payload) == ["text"]
    assert payload["text"].startswith("*Reciprocal digest, 2025-06-24 to 2025-06-30*\n")
    assert "Call list: 3 rejected interviewees waiting for a call" in payload["text"]
    assert payload["text"].endswith("<https://cx.northwind.example/?period=2025-06-24&period=2025-06-30"
                                    "|Open the dashboard>")
    assert sorted(m["to"][0] for m in smtp.messages) == ["it@northwind.example",
                                                         "maya@northwind.example"]
    bodies = [post["body"].decode()] + [part for m in smtp.messages for part in parts(m["message"])]
    assert not [v for v in candidate_values() for body in bodies if v in body]


def test_a_teams_webhook_gets_an_adaptive_card_without_candidate_data(calls_db, env, receiver):
    env["CX_WEBHOOK_URL"] = f"{receiver.base}/workflows/abc/triggers/manual/paths/invoke?sig=x"
    env["CX_ACCESS"] = str(Path(env["CX_ACCESS"]).with_name("none.toml"))  # no leaders to mail
    code, out, err = run(calls_db, env, "--digest")
    assert (code, out, err) == (0, "sent the digest to the Microsoft Teams webhook at 127.0.0.1\n",
                                "")
    [post] = receiver.posts
    payload = json.loads(post["body"])
    card = payload["attachments"][0]["content"]
    assert payload["type"] == "message" and card["type"] == "AdaptiveCard"
    runs = [block["inlines"][0]["text"] for block in card["body"]]
    assert runs[0] == "Reciprocal digest, 2025-06-24 to 2025-06-30"
    assert "Call list: 3 rejected interviewees waiting for a call" in runs
    assert card["actions"][0]["url"] == \
        "https://cx.northwind.example/?period=2025-06-24&period=2025-06-30"
    assert not [v for v in candidate_values() if v in post["body"].decode()]


def test_a_dry_run_sends_nothing(calls_db, env, smtp, receiver):
    env["CX_WEBHOOK_URL"] = f"{receiver.base}/services/T000/B000/XXXX"
    before = audit_lines(calls_db)
    code, out, err = run(calls_db, env, "--digest", "--call-lists", "--dry-run")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "not sent to anyone (1 row: B05): the access file names none of their recruiters "
        "(Unassigned)",
        "zed@northwind.example: nobody to call, nothing sent",
        "would send the digest to the Slack webhook at 127.0.0.1",
        "would send the digest to it@northwind.example",
        "would send the digest to maya@northwind.example",
        "would send their call list (1 row: B08) to priya@northwind.example",
        "would send their call list (1 row: B03) to tom@northwind.example"]
    assert (smtp.messages, receiver.posts, audit_lines(calls_db)) == ([], [], before)


def test_a_failed_recipient_does_not_stop_the_others(calls_db, env, smtp, receiver):
    Path(env["CX_ACCESS"]).write_text(ACCESS.replace("tom@", "bounce@"))
    env["CX_WEBHOOK_URL"] = f"{receiver.base}/services/broken/B000/XXXX"
    code, out, err = run(calls_db, env, "--digest", "--call-lists")
    assert code == 2
    assert err.splitlines() == [
        "python -m queries deliver: failed: the digest to the Slack webhook at 127.0.0.1: the "
        "webhook answered HTTP 500",
        "python -m queries deliver: failed: their call list (1 row: B03) to "
        "bounce@northwind.example: the mail server refused the address (SMTP 550)"]
    assert sorted(m["to"][0] for m in smtp.messages) == [
        "it@northwind.example", "maya@northwind.example", "priya@northwind.example"]


def test_a_redirect_is_not_followed(calls_db, env, receiver):
    env["CX_WEBHOOK_URL"] = f"{receiver.base}/services/redirect/B000/XXXX"
    env["CX_ACCESS"] = str(Path(env["CX_ACCESS"]).with_name("none.toml"))
    code, out, err = run(calls_db, env, "--digest")
    assert (code, err) == (2, "python -m queries deliver: failed: the digest to the Slack webhook "
                              "at 127.0.0.1: the webhook answered with a redirect (HTTP 302), "
                              "which is not followed\n")
    assert [p["path"] for p in receiver.posts] == ["/services/redirect/B000/XXXX"]


def test_a_refused_login_is_a_failure_that_does_not_show_the_password(calls_db, env, smtp):
    env["CX_SMTP_PASSWORD"] = PASSWORD + "-wrong"
    code, out, err = run(calls_db, env, "--call-lists")
    assert code == 2 and smtp.messages == []
    assert err.splitlines()[0] == (
        "python -m queries deliver: failed: their call list (1 row: B08) to "
        "priya@northwind.example: the mail server refused the login of CX_SMTP_USER (SMTP 535)")
    assert env["CX_SMTP_PASSWORD"] not in out + err


def test_an_untrusted_certificate_sends_nothing(calls_db, env, smtp):
    del env["CX_SMTP_CA_FILE"]
    code, _, err = run(calls_db, env, "--call-lists")
    assert code == 2 and smtp.messages == []
    assert err.splitlines()[0].endswith("127.0.0.1's certificate is not trusted (see CX_SMTP_CA_FILE)")


@pytest.mark.parametrize("change, options, message", [
    ({"CX_WEBHOOK_URL": "http://hooks.slack.com/services/T/B/X"}, ["--digest"],
     "CX_WEBHOOK_URL must be an https:// address"),
    ({"CX_WEBHOOK_URL": "https://chat.example.com/hook"}, ["--digest"],
     "CX_WEBHOOK_URL (chat.example.com) is not a Slack or Microsoft Teams incoming webhook address"),
    ({"CX_SMTP_HOST": ""}, ["--call-lists"],
     "--call-lists: set CX_SMTP_HOST (and CX_SMTP_FROM) to send e-mail"),
    ({"CX_SMTP_PORT": "smtp"}, ["--call-lists"], "CX_SMTP_PORT: 'smtp' is not a port number"),
    ({}, [], "nothing to deliver: give --digest, --call-lists or both"),
    ({}, ["--weekly"], "unrecognized arguments: --weekly"),
])
def test_settings_that_cannot_work_stop_before_anything_is_sent(calls_db, env, smtp, change,
                                                                 options, message):
    env.update(change)
    code, out, err = run(calls_db, env, *options)
    assert (code, out, err) == (2, "", f"python -m queries deliver: error: {message}\n")
    assert smtp.messages == []


def test_the_e_mail_link_opens_the_recruiters_own_list(calls_db, env, smtp, monkeypatch):
    from urllib.parse import parse_qs, urlsplit

    from tests.test_dashboard import open_app, table

    run(calls_db, env, "--call-lists")
    [tom] = [m["message"] for m in smtp.messages if m["to"] == ["tom@northwind.example"]]
    link = parts(tom)[0].rsplit("Your list on the dashboard: ", 1)[1].strip()
    address = urlsplit(link)
    assert (address.path, address.fragment) == ("/team", "call-list")
    monkeypatch.setenv("CX_DB", str(calls_db))
    at = open_app("team", query={k: v[0] for k, v in parse_qs(address.query).items()})
    assert list(table(at, "Candidate")["Candidate"]) == ["Cy Okafor"]
