"""Who may see what: the access file, read by the dashboard's sign-in and by deliveries.

TOML at env CX_ACCESS, else access.toml in the project root (access.example.toml shows it):

    [leaders]                      # every page, every recruiter, every candidate-level list
    emails = ["maya@northwind.example"]
    domains = []                   # everyone signed in with an address at one of these domains
    [admins]                       # leaders who may also load data
    emails = ["it@northwind.example"]
    [recruiters]                   # signed-in e-mail = recruiter_id in the data
    "priya@northwind.example" = "u101"

Deny by default: an address the file does not name has no role, and a file that does not parse
or names anything unknown raises AccessError instead of granting anything.

    >>> Access.parse('[recruiters]\\n"Priya@x.example" = "u101"').person("priya@X.example").recruiter_id
    'u101'
"""

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_ACCESS = Path(__file__).resolve().parents[1] / "access.toml"
ADMIN, LEADER, RECRUITER = "admin", "leader", "recruiter"
_KEYS = {"leaders": {"emails", "domains"}, "admins": {"emails"}}


class AccessError(Exception):
    """The access file cannot be used; the message is one sentence naming the file."""


@dataclass(frozen=True)
class Person:
    """A signed-in address and what it may do; role None means no access at all."""

    email: str
    role: str | None
    recruiter_id: str | None = None

    @property
    def sees_everyone(self) -> bool:
        """Leaders and admins see every recruiter's candidates."""
        return self.role in (ADMIN, LEADER)

    @property
    def may_load(self) -> bool:
        return self.role == ADMIN


@dataclass(frozen=True)
class Access:
    leaders: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    admins: tuple[str, ...] = ()
    recruiters: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str, name: str = "access file") -> "Access":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise AccessError(f"{name}: not valid TOML ({e})") from None
        unknown = set(data) - set(_KEYS) - {"recruiters"}
        if unknown:
            raise AccessError(f"{name}: unknown role [{sorted(unknown)[0]}] "
                              "(the roles are leaders, admins and recruiters)")
        for role, keys in _KEYS.items():
            section = data.get(role, {})
            if not isinstance(section, dict) or set(section) - keys:
                raise AccessError(f"{name}: [{role}] takes only {' and '.join(sorted(keys))}")
        recruiters = data.get("recruiters", {})
        if not isinstance(recruiters, dict) or not all(
                isinstance(v, str) and v.strip() for v in recruiters.values()):
            raise AccessError(f"{name}: [recruiters] maps each e-mail address to a recruiter id "
                              'in quotes, e.g. "priya@example.com" = "u101"')
        return cls(
            leaders=frozenset(_addresses(data, "leaders", "emails", name)),
            domains=frozenset(d.lstrip("@") for d in _addresses(data, "leaders", "domains", name)),
            admins=tuple(_addresses(data, "admins", "emails", name)),
            recruiters={_address(k, "recruiters", name): v.strip() for k, v in recruiters.items()},
        )

    def person(self, email: str | None) -> Person:
        """The role of a signed-in address (matched case-insensitively)."""
        address = (email or "").strip().lower()
        if not address:
            return Person("", None)
        if address in self.admins:
            return Person(address, ADMIN)
        domain = address.rpartition("@")[2]
        if address in self.leaders or (domain and domain in self.domains):
            return Person(address, LEADER)
        if address in self.recruiters:
            return Person(address, RECRUITER, self.recruiters[address])
        return Person(address, None)

    @property
    def contact(self) -> str | None:
        """Whom to ask for access: the first admin."""
        return self.admins[0] if self.admins else None

    def leader_addresses(self) -> list[str]:
        """Every leader and admin named by address (domains cannot be written to)."""
        return sorted(set(self.leaders) | set(self.admins))


def _addresses(data: dict, role: str, key: str, name: str) -> list[str]:
    values = data.get(role, {}).get(key, [])
    if not isinstance(values, list):
        raise AccessError(f"{name}: [{role}] {key} must be a list of strings")
    return [_address(v, role, name, domain=key == "domains") for v in values]


def _address(value, role: str, name: str, domain: bool = False) -> str:
    if not isinstance(value, str) or (not domain and "@" not in value) or not value.strip():
        raise AccessError(f"{name}: [{role}] holds {value!r}, which is not an e-mail "
                          f"{'domain' if domain else 'address'}")
    return value.strip().lower()


def access_path() -> Path:
    return Path(os.environ.get("CX_ACCESS") or DEFAULT_ACCESS)


def load_access(path: str | Path | None = None) -> Access | None:
    """The access file's roles, or None when there is no access file."""
    path = Path(path) if path else access_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as e:
        raise AccessError(f"{path.name}: cannot be read ({e.__class__.__name__})") from None
    return Access.parse(text, path.name)
