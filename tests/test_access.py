"""The access file: roles by address, deny by default, never fall open on a bad file."""

import pytest

from queries.access import ADMIN, LEADER, RECRUITER, Access, AccessError, load_access

EXAMPLE = """
[leaders]
emails = ["Maya@Northwind.example"]
domains = ["talent.example"]
[admins]
emails = ["it@northwind.example", "ops@northwind.example"]
[recruiters]
"priya@northwind.example" = "u101"
"""


def test_roles_match_addresses_case_insensitively_and_domains():
    access = Access.parse(EXAMPLE)
    assert access.person("maya@NORTHWIND.example").role == LEADER
    assert access.person("anyone@Talent.Example").role == LEADER
    assert access.person("IT@northwind.example").role == ADMIN
    priya = access.person(" Priya@northwind.example ")
    assert (priya.role, priya.recruiter_id, priya.sees_everyone) == (RECRUITER, "u101", False)


def test_unlisted_and_missing_addresses_have_no_role():
    access = Access.parse(EXAMPLE)
    assert access.person("someone@northwind.example").role is None
    assert access.person("x@sub.talent.example").role is None  # a domain is matched exactly
    assert access.person(None).role is None
    assert access.contact == "it@northwind.example"
    assert access.leader_addresses() == ["it@northwind.example", "maya@northwind.example",
                                         "ops@northwind.example"]


def test_only_admins_may_load():
    access = Access.parse(EXAMPLE)
    assert [access.person(a).may_load for a in ("it@northwind.example", "maya@northwind.example",
                                                "priya@northwind.example")] == [True, False, False]


@pytest.mark.parametrize("text, says", [
    ("[leaders\nemails = []", "not valid TOML"),
    ("[owners]\nemails = []", "unknown role [owners]"),
    ("[leaders]\nemail = ['a@b.example']", "[leaders] takes only"),
    ("[admins]\ndomains = ['b.example']", "[admins] takes only"),
    ("[leaders]\nemails = 'a@b.example'", "must be a list"),
    ("[leaders]\nemails = ['not-an-address']", "not an e-mail address"),
    ("[recruiters]\n'a@b.example' = 101", "maps each e-mail address"),
])
def test_a_bad_file_is_refused_in_one_sentence(text, says):
    with pytest.raises(AccessError, match="access.toml: .*") as raised:
        Access.parse(text, "access.toml")
    assert says in str(raised.value) and "\n" not in str(raised.value)


def test_no_file_is_none_and_an_unreadable_one_an_error(tmp_path):
    assert load_access(tmp_path / "missing.toml") is None
    (tmp_path / "bad.toml").write_bytes(b"\xff\xfe")
    with pytest.raises(AccessError, match="bad.toml: cannot be read"):
        load_access(tmp_path / "bad.toml")
