"""A POST route reads text fields only: a file sent in a field (multipart with a file name) reads as an absent
field, never as a server error (checker/web/security.checked_form)."""
from __future__ import annotations


from checker.web import security


def _csrf(client) -> dict:
    return {"csrf": client.cookies.get(security.CSRF_COOKIE)}


def test_a_file_in_a_waiver_field_reads_as_a_blank_field(client):
    page = client.post("/desk/0/gucheng-nanlu.yaml/waive", data=dict(_csrf(client), approved_by="科长", reason="r"),
                       files={"rule_id": ("rule.txt", b"CON-01", "text/plain")})
    assert page.status_code == 400  # the waiver list refuses a waiver without a rule, as for an empty field
    assert "科长" in page.text  # the typed fields are kept


def test_a_file_as_the_new_dossiers_name_reads_as_no_name(client):
    page = client.post("/new", data=dict(_csrf(client), action="save"),
                       files={"name": ("x.yaml", b"project: {}", "application/yaml")})
    assert page.status_code == 400  # the empty form is refused by the schema before any name is needed


def test_the_csrf_token_itself_sent_as_a_file_is_refused(client):
    token = client.cookies.get(security.CSRF_COOKIE)
    page = client.post("/whatif/answer", files={"csrf": ("t", token.encode(), "text/plain")})
    assert page.status_code == 403
