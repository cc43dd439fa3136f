"""The access log is a hash chain: `carepath audit verify` finds an edited, deleted or
re-ordered row by number, and with an anchor, rows cut off the end."""

import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from carepath.core.audit import chain_anchor, chain_verify
from carepath.core.models import AccessLog


@pytest.fixture
def logged(login, staff, reported_event):
    """Six rows: the officer opens the event (event, victim, perpetrator) twice."""
    client = login(staff["officer"])
    for _ in range(2):
        assert client.get(reverse("event_detail", args=[reported_event.pk])).status_code == 200
    assert AccessLog.objects.count() == 6
    return AccessLog.objects.order_by("seq")


def verify(*args) -> tuple[int, str]:
    """Run the command; its exit code and what it printed."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, err.getvalue()
    return 0, out.getvalue()


def raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_untouched_log_verifies(logged):
    code, output = verify()
    assert code == 0 and "6 rows checked" in output
    assert list(logged.values_list("seq", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_an_edited_row_is_named(logged):
    row = logged[3]
    raw("UPDATE core_accesslog SET object_id = 999 WHERE seq = %s", [row.seq])
    code, output = verify()
    assert code == 1 and "row 4 was edited" in output


def test_an_edited_time_is_named(logged):
    AccessLog.objects.filter(seq=2).update(viewed_at=logged[0].viewed_at.replace(year=2001))
    code, output = verify()
    assert code == 1 and "row 2 was edited" in output


def test_a_deleted_row_is_named(logged):
    raw("DELETE FROM core_accesslog WHERE seq = 3")
    code, output = verify()
    assert code == 1 and "row 3 is missing" in output


def test_rows_swapped_out_of_order_are_found(logged):
    first, second = logged[1], logged[2]
    raw("UPDATE core_accesslog SET seq = 1000 WHERE seq = %s", [first.seq])
    raw("UPDATE core_accesslog SET seq = %s WHERE seq = %s", [first.seq, second.seq])
    raw("UPDATE core_accesslog SET seq = %s WHERE seq = 1000", [second.seq])
    code, output = verify()
    assert code == 1 and "row 2 was edited or inserted out of order" in output


def test_a_forged_row_without_the_key_is_found(logged):
    last = logged.last()
    AccessLog.objects.create(
        seq=last.seq + 1,
        user_id=last.user_id,
        agency_id=last.agency_id,
        action="opened",
        content_type_id=last.content_type_id,
        object_id=1,
        viewed_at=last.viewed_at,
        path="/forged/",
        digest="0" * 64,
    )
    code, output = verify()
    assert code == 1 and "row 7 was edited" in output


def test_the_anchor_finds_rows_cut_off_the_end(logged):
    anchor = chain_anchor()
    assert anchor.startswith("6:")
    assert verify("--anchor", anchor)[0] == 0
    raw("DELETE FROM core_accesslog WHERE seq >= 5")
    assert verify()[0] == 0  # what is left is a valid, shorter chain...
    code, output = verify("--anchor", anchor)
    assert code == 1 and "cut off the end" in output  # ...which the anchor exposes


def test_a_bad_anchor_is_a_clear_error(logged):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="SEQ:DIGEST"):
        call_command("audit", "verify", "--anchor", "yesterday")


def test_rows_keep_chaining_after_a_verify(logged, login, staff, reported_event):
    login(staff["officer"]).get(reverse("person_detail", args=[reported_event.victim.pk]))
    result = chain_verify()
    assert result.ok and result.rows == 7


@pytest.mark.no_database
def test_the_command_is_installed_and_documents_itself():
    done = subprocess.run(
        [sys.executable, "-m", "carepath", "audit", "--help"],
        capture_output=True,
        text=True,
        env={"CAREPATH_TESTING": "1", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0 and "verify" in done.stdout and "anchor" in done.stdout
