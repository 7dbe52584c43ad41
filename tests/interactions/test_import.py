"""Import: reading CSV/XLSX, mappings and presets, the job runner (batches, resume, dry run)."""

import csv
import datetime as dt
import io
import json
import threading

import openpyxl
import pytest

from goaldesk.core.tabular import sample_rows
from goaldesk.interactions import importing
from goaldesk.interactions.importing import import_run, mapping_for_job, open_table
from goaldesk.interactions.mapping import ImportFileError, guess_mapping, load_preset
from goaldesk.interactions.models import ImportJob, ImportRejection, Interaction, Review

UTC = dt.UTC
HEADER = ["external_id", "channel", "created_at", "csat", "wait_seconds", "resolved_at"]


def write_csv(path, rows, header=HEADER, delimiter=",", encoding="utf-8"):
    with path.open("w", newline="", encoding=encoding) as out:
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def make_job(org, path, *, preset="canonical", dry_run=False, kind="interactions"):
    preset_obj = load_preset(preset)
    headers, _ = sample_rows(path, count=1)
    return ImportJob.objects.create(
        organisation=org,
        kind=kind,
        original_name=path.name,
        mapping=mapping_for_job(
            guess_mapping(headers, preset_obj, kind=kind), preset=preset_obj, headers=headers
        ),
        dry_run=dry_run,
    )


def run(org, path, **kwargs):
    progress = kwargs.pop("progress", None)
    batch_size = kwargs.pop("batch_size", importing.BATCH_SIZE)
    job = make_job(org, path, **kwargs)
    return import_run(job.pk, source=path, progress=progress, batch_size=batch_size)


def good_rows(count, start=0, prefix="T"):
    return [
        [f"{prefix}-{n}", "phone", f"2026-03-02 09:{n % 60:02d}", "5", "10", ""]
        for n in range(start, start + count)
    ]


# --- reading --------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters_are_sniffed(tmp_path, delimiter):
    path = write_csv(tmp_path / "a.csv", [["A", "chat", "2026-03-02 09:00", "4", "", ""]],
                     delimiter=delimiter)  # fmt: skip
    headers, samples = sample_rows(path)
    assert headers == HEADER
    assert samples == [
        dict(zip(HEADER, ["A", "chat", "2026-03-02 09:00", "4", "", ""], strict=True))
    ]


def test_csv_with_byte_order_mark(tmp_path):
    path = write_csv(tmp_path / "a.csv", good_rows(1), encoding="utf-8-sig")
    assert sample_rows(path)[0][0] == "external_id"


def test_blank_rows_are_skipped_but_keep_their_numbers(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("external_id,channel,created_at\nA,chat,2026-03-02 09:00\n,,\n\n"
                    "B,chat,2026-03-02 09:00\n", encoding="utf-8")  # fmt: skip
    with open_table(path) as table:
        assert [number for number, _ in table.rows()] == [1, 4]


def test_not_utf8_is_an_unreadable_file(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("external_id,channel,created_at\nA,chat,Müller\n".encode("latin-1"))
    with pytest.raises(ImportFileError) as caught:
        sample_rows(path)
    assert "UTF-8" in caught.value.message


def test_old_xls_and_empty_files_are_refused(tmp_path):
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(ImportFileError, match="xlsx"):
        sample_rows(xls)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ImportFileError, match="empty"):
        sample_rows(empty)


def test_xlsx_first_sheet(tmp_path, org):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Ticket", "Channel", "Created", "CSAT"])
    sheet.append(["X-1", "Chat", dt.datetime(2026, 3, 2, 9, 0), 5])
    sheet.append([None, None, None, None])
    sheet.append([1234, "email", "2026-03-02T10:00:00Z", None])
    workbook.create_sheet("Other").append(["ignored"])
    path = tmp_path / "book.xlsx"
    workbook.save(path)

    job = run(org, path, preset=None)
    assert (job.accepted, job.rejected, job.rows_done) == (2, 0, 2)
    x1 = Interaction.objects.get(organisation=org, external_id="X-1")
    # A spreadsheet time has no offset: read in Tehran (UTC+03:30).
    assert x1.created_at == dt.datetime(2026, 3, 2, 5, 30, tzinfo=UTC)
    assert x1.csat == 5 and x1.channel == "chat"
    # A numeric id typed in a cell is the text "1234", not "1234.0".
    assert Interaction.objects.filter(organisation=org, external_id="1234").exists()


# --- mapping --------------------------------------------------------------------------------


def test_guess_mapping_from_synonyms():
    headers = ["Ticket ID", "Via", "Created At", "Requester", "Assignee", "Group", "Topic",
               "Solved at", "Wait time", "AHT", "Satisfaction", "Unrelated"]  # fmt: skip
    mapping = guess_mapping(headers)
    assert mapping == {
        "external_id": "Ticket ID", "channel": "Via", "created_at": "Created At",
        "customer_id": "Requester", "agent": "Assignee", "team": "Group", "category": "Topic",
        "resolved_at": "Solved at", "wait_seconds": "Wait time", "handle_seconds": "AHT",
        "csat": "Satisfaction",
    }  # fmt: skip


def test_mapping_file_preset(tmp_path, org):
    spec = {
        "columns": {"external_id": "Nr", "channel": "Kanal", "created_at": ["Erstellt", "Datum"]},
        "values": {"channel": {"Telefon": "phone", "E-Mail": "email"}},
    }
    preset_path = tmp_path / "mine.json"
    preset_path.write_text(json.dumps(spec), encoding="utf-8")
    path = write_csv(tmp_path / "de.csv", [["1", "Telefon", "2026-03-02 09:00"],
                                           ["2", "E-Mail", "2026-03-02 10:00"]],
                     header=["Nr", "Kanal", "Datum"], delimiter=";")  # fmt: skip
    job = run(org, path, preset=str(preset_path))
    assert job.accepted == 2
    assert sorted(Interaction.objects.values_list("channel", flat=True)) == ["email", "phone"]


def test_bad_preset_names_and_files(tmp_path):
    with pytest.raises(ImportFileError, match="kayako"):
        load_preset("kayako")
    bad = tmp_path / "bad.json"
    bad.write_text('{"columns": {"colour": "x"}}', encoding="utf-8")
    with pytest.raises(ImportFileError, match="colour"):
        load_preset(str(bad))


# --- running --------------------------------------------------------------------------------


def test_every_kind_of_bad_row_rejects_only_that_row(tmp_path, org):
    header = ["external_id", "channel", "created_at", "first_response_at", "resolved_at",
              "status", "outcome", "wait_seconds", "handle_seconds", "csat", "nps", "ces",
              "sentiment_start", "sentiment_end", "arrived_at", "fixed_at"]  # fmt: skip
    ok = ["OK", "phone", "2026-03-02 09:00", "", "", "", "", "", "", "", "", "", "", "", "", ""]

    def bad(column, value):
        values = list(ok)
        values[0] = f"BAD-{column}"
        values[header.index(column)] = value
        return values

    cases = [
        ("external_id", ""), ("channel", "pigeon"), ("created_at", "yesterday"),
        ("first_response_at", "2026-03-02 08:00"), ("resolved_at", "2026-03-01 09:00"),
        ("status", "pending"), ("outcome", "meh"), ("wait_seconds", "-1"),
        ("handle_seconds", "abc"), ("csat", "9"), ("nps", "11"), ("ces", "0"),
        ("sentiment_start", "angry"), ("sentiment_end", "glad"),
        ("arrived_at", "2026-03-02 08:59"), ("fixed_at", "not yet"),
    ]  # fmt: skip
    rows = [ok] + [bad(column, value) for column, value in cases]
    path = write_csv(tmp_path / "bad.csv", rows, header=header)
    job = run(org, path)
    assert (job.accepted, job.updated, job.rejected) == (1, 0, len(cases))
    rejections = list(job.rejections.order_by("row_number"))
    # Row 1 is the good one; case k is on row k + 2.
    assert [r.row_number for r in rejections] == list(range(2, len(cases) + 2))
    assert [r.column for r in rejections] == [column for column, _ in cases]
    for rejection, (_column, value) in zip(rejections, cases, strict=True):
        if value:
            assert value in rejection.reason
        assert rejection.raw["external_id"] == rows[rejection.row_number - 1][0]
    assert list(Interaction.objects.values_list("external_id", flat=True)) == ["OK"]


def test_row_with_too_many_values_is_rejected(tmp_path, org):
    path = tmp_path / "extra.csv"
    path.write_text("external_id,channel,created_at\nA,chat,2026-03-02 09:00,surprise\n"
                    "B,chat,2026-03-02 09:00\n", encoding="utf-8")  # fmt: skip
    job = run(org, path)
    assert (job.accepted, job.rejected) == (1, 1)
    assert "4 values" in job.rejections.get().reason


def test_persian_digits_and_tehran_time(tmp_path, org):
    path = write_csv(tmp_path / "fa.csv", [["۱۰۱", "phone", "۲۰۲۶-۰۳-۰۲ ۰۹:۳۰", "۵", "۱۲", ""]])
    job = run(org, path)
    assert job.accepted == 1
    row = Interaction.objects.get(organisation=org, external_id="۱۰۱")
    assert row.created_at == dt.datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    assert (row.csat, row.wait_seconds, row.local_date) == (5, 12.0, dt.date(2026, 3, 2))


def test_reimport_updates_instead_of_duplicating(tmp_path, org):
    first = write_csv(tmp_path / "one.csv", good_rows(5))
    job = run(org, first)
    assert (job.accepted, job.updated) == (5, 0)
    changed = [[f"T-{n}", "chat", "2026-03-02 10:00", "3", "", ""] for n in range(3, 8)]
    job = run(org, write_csv(tmp_path / "two.csv", changed))
    assert (job.accepted, job.updated, job.rejected) == (3, 2, 0)
    assert Interaction.objects.filter(organisation=org).count() == 8
    assert Interaction.objects.get(organisation=org, external_id="T-3").csat == 3


def test_duplicate_in_one_file_last_row_wins(tmp_path, org):
    rows = [["D", "phone", "2026-03-02 09:00", "1", "", ""],
            ["E", "phone", "2026-03-02 09:00", "2", "", ""],
            ["D", "phone", "2026-03-02 09:00", "5", "", ""]]  # fmt: skip
    for batch_size in (10, 1):  # within one batch, and across batches
        Interaction.objects.all().delete()
        job = run(org, write_csv(tmp_path / "dup.csv", rows), batch_size=batch_size)
        assert (job.accepted, job.updated, job.rejected) == (2, 1, 0)
        assert Interaction.objects.get(organisation=org, external_id="D").csat == 5


def test_dry_run_writes_nothing_but_counts(tmp_path, org):
    run(org, write_csv(tmp_path / "one.csv", good_rows(2)))
    rows = [*good_rows(4), ["T-0", "phone", "2026-03-02 09:00", "", "", ""],
            ["bad", "fax", "2026-03-02 09:00", "", "", ""]]  # fmt: skip
    path = write_csv(tmp_path / "two.csv", rows)
    before = list(Interaction.objects.order_by("pk").values_list("external_id", "csat"))
    job = run(org, path, dry_run=True, batch_size=2)
    # T-0, T-1 exist; T-2, T-3 would be new; the repeated T-0 would update; "fax" is rejected.
    assert (job.accepted, job.updated, job.rejected, job.rows_done) == (2, 3, 1, 6)
    assert job.state == ImportJob.State.DONE
    assert list(Interaction.objects.order_by("pk").values_list("external_id", "csat")) == before
    assert job.rejections.get().column == "channel"


def test_missing_required_mapping_fails_the_job(tmp_path, org):
    path = write_csv(tmp_path / "a.csv", [["A", "chat"]], header=["external_id", "channel"])
    job = make_job(org, path)
    with pytest.raises(ImportFileError, match="created_at"):
        import_run(job.pk, source=path)
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and "created_at" in job.error


class Crash(Exception):
    pass


def test_resume_after_a_crash_between_batches(tmp_path, org):
    rows = good_rows(10)
    rows[6][1] = "fax"  # row 7 is rejected
    path = write_csv(tmp_path / "big.csv", rows)
    job = make_job(org, path)

    def crash_after_second_batch(progress_job):
        if progress_job.rows_done == 6:
            raise Crash

    with pytest.raises(Crash):
        import_run(job.pk, source=path, progress=crash_after_second_batch, batch_size=3)
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert (job.rows_done, job.accepted) == (6, 6)
    assert Interaction.objects.filter(organisation=org).count() == 6

    job = import_run(job.pk, source=path, batch_size=3)
    assert job.state == ImportJob.State.DONE
    assert (job.rows_done, job.accepted, job.updated, job.rejected) == (10, 9, 0, 1)
    assert sorted(Interaction.objects.values_list("external_id", flat=True)) == sorted(
        f"T-{n}" for n in range(10) if n != 6
    )
    assert list(ImportRejection.objects.values_list("row_number", flat=True)) == [7]


def test_crash_inside_a_batch_leaves_no_half_batch(tmp_path, org, monkeypatch):
    rows = good_rows(9)
    rows[4][3] = "99"  # row 5 (second batch) is rejected
    path = write_csv(tmp_path / "big.csv", rows)
    job = make_job(org, path)
    real_commit = importing._commit_batch
    calls = {"n": 0}

    def commit_then_crash(batch):
        calls["n"] += 1
        if calls["n"] == 2:
            real_commit(batch)  # the batch is written inside its transaction …
            raise Crash  # … which the crash rolls back

        real_commit(batch)

    def atomic_commit(batch):
        from django.db import transaction

        with transaction.atomic():
            commit_then_crash(batch)

    monkeypatch.setattr(importing, "_commit_batch", atomic_commit)
    with pytest.raises(Crash):
        import_run(job.pk, source=path, batch_size=3)
    job.refresh_from_db()
    assert (job.rows_done, job.accepted, job.rejected) == (3, 3, 0)
    assert Interaction.objects.count() == 3
    assert ImportRejection.objects.count() == 0

    monkeypatch.setattr(importing, "_commit_batch", real_commit)
    job = import_run(job.pk, source=path, batch_size=3)
    assert (job.rows_done, job.accepted, job.rejected) == (9, 8, 1)
    assert Interaction.objects.count() == 8
    assert list(ImportRejection.objects.values_list("row_number", flat=True)) == [5]


def test_finished_job_is_not_run_again(tmp_path, org):
    path = write_csv(tmp_path / "a.csv", good_rows(3))
    job = run(org, path)
    again = import_run(job.pk, source=path)
    assert (again.accepted, again.updated) == (3, 0)


def test_rejected_rows_csv(tmp_path, org):
    rows = [["A", "fax", "2026-03-02 09:00", "", "", ""], ["B", "chat", "2026-03-02 09:00", "", "", ""],
            ["C", "chat", "2026-03-02 09:00", "7", "", ""]]  # fmt: skip
    job = run(org, write_csv(tmp_path / "a.csv", rows))
    text = "".join(importing.import_rejected_rows_csv(job)).lstrip("\ufeff")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == [*HEADER, "row", "column", "reason"]
    assert [line[:6] for line in lines[1:]] == [rows[0], rows[2]]
    assert [line[6:8] for line in lines[1:]] == [["1", "channel"], ["3", "csat"]]


# --- Zendesk --------------------------------------------------------------------------------

ZENDESK_HEADER = [
    "Summation column", "Id", "Requester", "Requester id", "Requester external id",
    "Requester email", "Requester domain", "Submitter", "Assignee", "Group", "Subject", "Tags",
    "Status", "Priority", "Via", "Ticket type", "Created at", "Updated at", "Assigned at",
    "Organization", "Due date", "Initially assigned at", "Solved at", "Resolution time",
    "Satisfaction Score", "Group stations", "Assignee stations", "Reopens", "Replies",
    "First reply time in minutes", "First reply time in minutes within business hours",
    "First resolution time in minutes", "First resolution time in minutes within business hours",
    "Full resolution time in minutes", "Full resolution time in minutes within business hours",
    "Agent wait time in minutes", "Agent wait time in minutes within business hours",
    "Requester wait time in minutes", "Requester wait time in minutes within business hours",
    "On hold time in minutes", "On hold time in minutes within business hours",
    "Category [list]",
]  # fmt: skip


def zendesk_row(**values):
    row = dict.fromkeys(ZENDESK_HEADER, "")
    row.update({"Summation column": "1", "Priority": "Normal", "Ticket type": "Question"})
    row.update(values)
    return [row[h] for h in ZENDESK_HEADER]


def test_zendesk_export(tmp_path, org):
    rows = [
        zendesk_row(**{
            "Id": "1001", "Requester": "Mina", "Requester id": "3601", "Assignee": "Sara K",
            "Group": "Support", "Status": "Solved", "Via": "Mail",
            "Created at": "2026-03-02 09:00:00 +0100", "Solved at": "2026-03-02 12:00:00 +0100",
            "Satisfaction Score": "Good", "First reply time in minutes": "45",
            "Category [list]": "billing",
        }),
        zendesk_row(**{
            "Id": "1002", "Requester id": "3602", "Status": "Pending", "Via": "Web Form",
            "Created at": "2026-03-02T10:00:00Z", "Satisfaction Score": "Unoffered",
        }),
        zendesk_row(**{
            "Id": "1003", "Requester id": "3603", "Status": "Closed", "Via": "Voice",
            "Created at": "2026-03-02 11:00:00 +0100", "Solved at": "2026-03-02 11:30:00 +0100",
            "Satisfaction Score": "Bad",
        }),
        zendesk_row(**{"Id": "1004", "Status": "Open", "Via": "Carrier pigeon",
                       "Created at": "2026-03-02 11:00:00 +0100"}),
    ]  # fmt: skip
    path = write_csv(tmp_path / "export.csv", rows, header=ZENDESK_HEADER)
    job = run(org, path, preset="zendesk")
    assert (job.accepted, job.rejected) == (3, 1)
    rejection = job.rejections.get()
    assert (rejection.row_number, rejection.column) == (4, "Via")
    assert "Carrier pigeon" in rejection.reason

    t1 = Interaction.objects.get(organisation=org, external_id="1001")
    assert (t1.channel, t1.status, t1.csat, t1.customer_id) == ("email", "resolved", 5, "3601")
    assert t1.created_at == dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert t1.first_response_at == dt.datetime(2026, 3, 2, 8, 45, tzinfo=UTC)
    assert (t1.first_response_seconds, t1.resolution_seconds) == (2700.0, 3 * 3600.0)
    assert (t1.agent.key, t1.team.name, t1.category) == ("Sara K", "Support", "billing")
    t2 = Interaction.objects.get(organisation=org, external_id="1002")
    assert (t2.channel, t2.status, t2.csat) == ("web", "open", None)
    t3 = Interaction.objects.get(organisation=org, external_id="1003")
    assert (t3.channel, t3.status, t3.csat, t3.is_live) == ("phone", "resolved", 1, True)


# --- reviews --------------------------------------------------------------------------------


def test_reviews_import(tmp_path, org):
    path = write_csv(
        tmp_path / "reviews.csv",
        [["G1", "Google", "2026-03-02", "5", "Kind staff", "Mina"],
         ["G2", "Google", "2026-03-03", "6", "?", "Ali"]],
        header=["external_id", "source", "date", "rating", "text", "author"],
    )  # fmt: skip
    job = run(org, path, kind="reviews")
    assert (job.accepted, job.rejected) == (1, 1)
    assert Review.objects.get(organisation=org).text == "Kind staff"
    assert job.rejections.get().column == "rating"


@pytest.mark.django_db(transaction=True)
def test_threaded_writer_resumes_after_a_crash(tmp_path, org):
    """Outside a transaction a second thread writes the batches; a crash there stops the run
    after the last committed batch and a rerun completes it without duplicates."""
    rows = good_rows(10)
    rows[8][1] = "fax"  # row 9 is rejected
    path = write_csv(tmp_path / "big.csv", rows)
    job = make_job(org, path)
    threads = set()

    def crash_after_second_batch(progress_job):
        threads.add(threading.current_thread().name)
        if progress_job.rows_done == 6:
            raise Crash

    with pytest.raises(Crash):
        import_run(job.pk, source=path, progress=crash_after_second_batch, batch_size=3)
    assert threads == {f"import-{job.pk}"}
    job.refresh_from_db()
    assert (job.state, job.rows_done, job.accepted) == (ImportJob.State.FAILED, 6, 6)
    assert Interaction.objects.filter(organisation=org).count() == 6

    job = import_run(job.pk, source=path, batch_size=3)
    assert (job.rows_done, job.accepted, job.updated, job.rejected) == (10, 9, 0, 1)
    assert Interaction.objects.filter(organisation=org).count() == 9
    assert list(ImportRejection.objects.values_list("row_number", flat=True)) == [9]


# --- any row, any failure: that row only (issue 14) ------------------------------------------


def test_out_of_range_values_reject_their_row_and_the_rest_is_imported(tmp_path, org):
    rows = good_rows(3)
    rows.insert(1, ["X-1", "phone", "9999-12-31T23:59:59+00:00", "5", "10", ""])
    rows.insert(3, ["X-2", "phone", "2026-03-02 09:00", "5", "1e308", ""])
    job = run(org, write_csv(tmp_path / "a.csv", rows), batch_size=2)
    assert job.state == ImportJob.State.DONE
    assert (job.rows_done, job.accepted, job.rejected) == (5, 3, 2)
    assert [r.row_number for r in ImportRejection.objects.filter(job=job)] == [2, 4]
    assert Interaction.objects.filter(organisation=org).count() == 3


def test_an_unforeseen_error_while_checking_a_row_rejects_only_that_row(tmp_path, org, monkeypatch):
    parse = importing.parse_interaction

    def parse_or_fail(raw, tz):
        if raw["external_id"] == "T-1":
            raise ZeroDivisionError("a surprise")
        return parse(raw, tz=tz)

    monkeypatch.setattr(importing, "parse_interaction", parse_or_fail)
    job = run(org, write_csv(tmp_path / "a.csv", good_rows(3)))
    assert (job.state, job.accepted, job.rejected) == (ImportJob.State.DONE, 2, 1)
    rejection = ImportRejection.objects.get(job=job)
    assert rejection.row_number == 2 and "a surprise" in rejection.reason
    assert job.rejection_summary == [{"column": "", "reason": rejection.reason, "count": 1}]


def test_a_header_only_file_fails_the_job_with_a_message(tmp_path, org):
    path = write_csv(tmp_path / "a.csv", good_rows(1))
    job = make_job(org, path)
    write_csv(path, [])
    with pytest.raises(ImportFileError, match="no data rows"):
        import_run(job.pk, source=path)
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and "no data rows" in job.error


def test_long_values_of_a_stored_rejected_row_are_cut(tmp_path, org):
    path = write_csv(tmp_path / "a.csv", [["L-1", "fax", "x" * 5000, "", "", ""]])
    job = run(org, path)
    raw = ImportRejection.objects.get(job=job).raw
    assert raw["channel"] == "fax" and raw["created_at"] == "x" * importing.RAW_VALUE_CHARS
