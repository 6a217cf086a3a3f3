"""E-mail through the company's SMTP server, always over STARTTLS (Python's smtplib).

Settings from the environment, never from a file or an argument:
    CX_SMTP_HOST      the server (e-mail is off without it)
    CX_SMTP_PORT      587 unless given
    CX_SMTP_USER, CX_SMTP_PASSWORD   the login, when the server asks for one
    CX_SMTP_FROM      the sender address
    CX_SMTP_CA_FILE   a CA bundle to trust instead of the system's (a company CA, or a test's)

    settings = SmtpSettings.from_env(os.environ)
    send(settings, message(settings.sender, "maya@x.example", "Hi", "text", "<p>html</p>"))

A server that does not offer STARTTLS gets nothing: the login and the message never travel in
clear. Errors are sentences without the password (smtplib never logs at debuglevel 0).
"""

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid


class MailError(Exception):
    """E-mail cannot be sent: one sentence, never holding the password."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    sender: str
    port: int = 587
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_file: str | None = None

    @classmethod
    def from_env(cls, env) -> "SmtpSettings | None":
        """The settings, None when CX_SMTP_HOST is not set; MailError for unusable ones."""
        host = (env.get("CX_SMTP_HOST") or "").strip()
        if not host:
            return None
        port_text = (env.get("CX_SMTP_PORT") or "587").strip()
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise MailError(f"CX_SMTP_PORT: {port_text!r} is not a port number")
        sender = (env.get("CX_SMTP_FROM") or "").strip()
        if "@" not in sender:
            raise MailError("CX_SMTP_FROM: set it to the address the e-mails come from")
        user = env.get("CX_SMTP_USER") or None
        password = env.get("CX_SMTP_PASSWORD") or None
        if bool(user) != bool(password):
            raise MailError("CX_SMTP_USER and CX_SMTP_PASSWORD: set both or neither")
        return cls(host, sender, int(port_text), user, password, env.get("CX_SMTP_CA_FILE") or None)


def message(sender: str, to: str, subject: str, text: str, html: str) -> EmailMessage:
    """A message with a plain-text part and an HTML alternative."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


def send(settings: SmtpSettings, msg: EmailMessage, timeout: float = 30) -> None:
    """Send one message over its own STARTTLS connection; MailError says why it failed."""
    try:
        context = ssl.create_default_context(cafile=settings.ca_file)
    except (OSError, ssl.SSLError) as e:
        raise MailError(f"CX_SMTP_CA_FILE cannot be read ({e.__class__.__name__})") from None
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=timeout) as smtp:
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                raise MailError(f"{settings.host} does not offer STARTTLS; nothing is sent in clear")
            smtp.starttls(context=context)
            smtp.ehlo()
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            smtp.send_message(msg)
    except smtplib.SMTPRecipientsRefused as e:
        code = next(iter(e.recipients.values()))[0] if e.recipients else "?"
        raise MailError(f"the mail server refused the address (SMTP {code})") from None
    except smtplib.SMTPAuthenticationError as e:
        raise MailError(f"the mail server refused the login of CX_SMTP_USER (SMTP {e.smtp_code})") \
            from None
    except smtplib.SMTPResponseException as e:
        raise MailError(f"the mail server answered SMTP {e.smtp_code}") from None
    except ssl.SSLCertVerificationError:
        raise MailError(f"{settings.host}'s certificate is not trusted (see CX_SMTP_CA_FILE)") \
            from None
    except (smtplib.SMTPException, ssl.SSLError, OSError) as e:  # OSError: timeouts too
        raise MailError(f"cannot reach {settings.host}:{settings.port} ({e.__class__.__name__})") \
            from None
