"""Demand history from interactions and from uploaded CSV files."""

import datetime as dt
import math

import numpy as np
import pytest
from django.urls import reverse

from goaldesk.accounts.selectors import business_calendar_for
from goaldesk.forecasting.history import HistoryFileError
from goaldesk.forecasting.models import HistoryPoint, HistoryUpload
from goaldesk.forecasting.selectors import history_from_interactions, history_from_upload
from goaldesk.forecasting.services import history_upload_create
from tests.forecasting.conftest import add_interactions, open_weekdays


@pytest.mark.django_db
class TestHistoryFromInteractions:
    def test_counts_per_local_interval_hand_counted(self, org):
        # Tehran is +03:30: 05:30 UTC is 09:00 local.
        utc = lambda d, h, m: dt.datetime(2026, 3, d, h, m, tzinfo=dt.UTC)  # noqa: E731
        add_interactions(
            org,
            [utc(2, 5, 30), utc(2, 5, 59), utc(2, 6, 0), utc(2, 6, 29), utc(3, 20, 29)],
        )
        add_interactions(org, [utc(2, 5, 45)], channel="email", prefix="E")
        history = history_from_interactions(
            organisation=org,
            channel="phone",
            interval_minutes=30,
            first_day=dt.date(2026, 3, 1),
            last_day=dt.date(2026, 3, 4),
        )
        assert history.first_day == dt.date(2026, 3, 1) and history.days == 4
        # 2 March: 09:00–09:29 local holds 05:30 and 05:59 UTC; 09:30–09:59 holds 06:00, 06:29.
        assert history.volumes[1, 18] == 2 and history.volumes[1, 19] == 2
        # 20:29 UTC on 3 March is 23:59 local on 3 March: the last interval of that day.
        assert history.volumes[2, 47] == 1
        # Empty intervals are zero, not unknown; the e-mail is not a phone call.
        assert history.volumes.sum() == 5
        assert not np.isnan(history.volumes).any()

    def test_closed_hours_and_holidays_are_not_learnt(self, org):
        open_weekdays(org, [1, 2, 3, 4, 6, 7])
        org.holidays.create(date=dt.date(2026, 3, 3), name="Holiday")
        history = history_from_interactions(
            organisation=org,
            channel="phone",
            interval_minutes=60,
            first_day=dt.date(2026, 3, 2),
            last_day=dt.date(2026, 3, 6),
        )
        learnable = history.learnable
        assert learnable[0, 9] and learnable[0, 16]  # Monday 09:00 and 16:00 open
        assert not learnable[0, 8] and not learnable[0, 17]  # before and after hours
        assert not learnable[1].any()  # the holiday
        assert learnable[2, 9]
        # Friday is not in the hours: closed all day.
        assert not learnable[4].any()

    def test_an_email_history_learns_when_mail_arrives(self, org):
        open_weekdays(org, [1, 2, 3, 4, 6, 7])
        history = history_from_interactions(
            organisation=org,
            channel="email",
            interval_minutes=60,
            first_day=dt.date(2026, 3, 2),
            last_day=dt.date(2026, 3, 3),
        )
        # Written contacts arrive at night too: no business-hours mask on deferred channels.
        assert history.open_mask is None


@pytest.mark.django_db
class TestUpload:
    def test_good_rows_kept_bad_rows_named(self, org, member):
        content = (
            "Timestamp,Volume,Channel\n"
            "2026-03-02T09:00,12,phone\n"
            "2026-03-02T09:30,۱۵,phone\n"  # Persian digits
            "2026-03-02 10:00:00+03:30,7,chat\n"
            "not a date,5,phone\n"
            "2026-03-02T11:00,-3,phone\n"
            "2026-03-02T11:30,many,phone\n"
            "2026-03-02T12:00,4,fax\n"
            "\n"
            "2026-03-02T12:30,,phone\n"
        ).encode()
        upload = history_upload_create(
            organisation=org, content=content, original_name="calls.csv", default_channel="phone"
        )
        assert upload.rows_accepted == 3
        assert upload.rows_rejected == 5
        assert [(r["row"], r["column"]) for r in upload.rejections] == [
            (4, "timestamp"),
            (5, "volume"),
            (6, "volume"),
            (7, "channel"),
            (9, "volume"),
        ]
        assert "not a date" in upload.rejections[0]["reason"]
        assert "negative" in upload.rejections[1]["reason"]
        assert "fax" in upload.rejections[3]["reason"]
        assert upload.channels == ["chat", "phone"]
        points = HistoryPoint.objects.filter(upload=upload, channel="phone").order_by("start")
        assert [p.volume for p in points] == [12, 15]
        # Read in the organisation's time zone (+03:30).
        assert points[0].start == dt.datetime(2026, 3, 2, 5, 30, tzinfo=dt.UTC)

    def test_an_xlsx_file_is_read_like_its_csv(self, org):
        import io

        import openpyxl

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["Timestamp", "Volume", "Channel"])
        sheet.append([dt.datetime(2026, 3, 2, 9, 0), 12, "phone"])  # a date-time cell
        sheet.append(["2026-03-02 09:30", "۱۵", "phone"])  # text cells, Persian digits
        sheet.append([None, None, None])  # an empty row keeps its number
        sheet.append(["2026-03-02T10:00", -1, "phone"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        upload = history_upload_create(
            organisation=org,
            content=buffer.getvalue(),
            original_name="history.xlsx",
            default_channel="phone",
        )
        points = HistoryPoint.objects.filter(upload=upload).order_by("start")
        assert [p.volume for p in points] == [12, 15]
        # Read in the organisation's time zone (+03:30): 09:00 local is 05:30 UTC.
        assert points[0].start == dt.datetime(2026, 3, 2, 5, 30, tzinfo=dt.UTC)
        assert [(r["row"], r["column"]) for r in upload.rejections] == [(4, "volume")]

    def test_missing_column_refuses_the_file(self, org):
        with pytest.raises(HistoryFileError, match="volume"):
            history_upload_create(
                organisation=org,
                content=b"timestamp,calls\n2026-03-02T09:00,3\n",
                original_name="x.csv",
                default_channel="phone",
            )
        assert not HistoryUpload.objects.exists()

    def test_no_good_row_refuses_the_file(self, org):
        with pytest.raises(HistoryFileError, match="Row 1"):
            history_upload_create(
                organisation=org,
                content=b"timestamp,volume\nyesterday,3\n",
                original_name="x.csv",
                default_channel="phone",
            )

    def test_uploaded_history_leaves_missing_intervals_unknown(self, org):
        upload = history_upload_create(
            organisation=org,
            content=b"timestamp,volume\n2026-03-02T09:00,4\n2026-03-02T09:15,6\n2026-03-03T10:00,1\n",
            original_name="x.csv",
            default_channel="walk_in",
        )
        history = history_from_upload(
            upload=upload,
            channel="walk_in",
            interval_minutes=30,
            calendar=business_calendar_for(org),
        )
        assert history.volumes[0, 18] == 10  # 09:00 and 09:15 fall in 09:00–09:30
        assert history.volumes[1, 20] == 1
        assert math.isnan(history.volumes[0, 20])

    def test_upload_page_lists_rejections(self, org, client_as):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client = client_as("manager")
        response = client.post(
            reverse("forecasting:upload", args=[org.slug]),
            {
                "file": SimpleUploadedFile(
                    "h.csv", b"timestamp,volume\n2026-03-02T09:00,x\n2026-03-02T10:00,2\n"
                ),
                "channel": "phone",
            },
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert "“<bdi>x</bdi>” is not a number." in body
        assert HistoryUpload.objects.get().rows_accepted == 1

    def test_upload_page_shows_a_missing_column(self, org, client_as):
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = client_as("manager").post(
            reverse("forecasting:upload", args=[org.slug]),
            {"file": SimpleUploadedFile("h.csv", b"when,volume\n1,2\n"), "channel": "phone"},
        )
        assert "no column “timestamp”" in response.content.decode()


def test_the_upload_form_names_its_columns_as_code_in_any_language():
    from django.utils import translation

    from goaldesk.forecasting.forms import HistoryUploadForm

    with translation.override("fa"):
        help_text = str(HistoryUploadForm().fields["file"].help_text)
    assert help_text.startswith("ستون‌ها: <code>timestamp</code>، <code>volume</code>")
    assert "<code>channel</code>" in help_text
