"""Customer files through the import machinery: mapping, attributes from the other columns,
dry run, bad rows rejected with row and column, the rest kept."""

import csv

import pytest

from goaldesk.customers.models import Customer
from goaldesk.customers.services import customers_ensure
from goaldesk.interactions.importing import import_run, mapping_for_job
from goaldesk.interactions.mapping import guess_mapping, load_preset
from goaldesk.interactions.models import ImportJob, ImportRejection

pytestmark = pytest.mark.django_db


def customer_file(tmp_path, rows, header=("Customer", "Full name", "E-mail", "Tier", "City")):
    path = tmp_path / "customers.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path, list(header)


def run(org, path, headers, *, dry_run=False):
    job = ImportJob.objects.create(
        organisation=org,
        kind=ImportJob.Kind.CUSTOMERS,
        original_name=path.name,
        mapping=mapping_for_job(
            guess_mapping(headers, None, kind="customers"),
            preset=load_preset(None),
            headers=headers,
        ),
        dry_run=dry_run,
    )
    return import_run(job.pk, source=path)


def test_the_mapping_is_guessed_and_other_columns_become_attributes(tmp_path, org):
    customers_ensure(organisation=org, keys=["C1"])  # seen in interactions before
    path, headers = customer_file(
        tmp_path,
        [
            ["C1", "Ann Lee", "ann@example.com", "Gold", "Shiraz"],
            ["C2", "Bob", "", "silver", ""],
        ],
    )
    assert guess_mapping(headers, None, kind="customers") == {
        "customer_id": "Customer",
        "name": "Full name",
        "email": "E-mail",
    }
    job = run(org, path, headers)
    assert (job.state, job.accepted, job.updated, job.rejected) == ("done", 1, 1, 0)
    ann = Customer.objects.get(organisation=org, key="C1")
    assert (ann.name, ann.email) == ("Ann Lee", "ann@example.com")
    assert ann.attributes == {"tier": "Gold", "city": "Shiraz"}
    assert Customer.objects.get(organisation=org, key="C2").attributes == {"tier": "silver"}


def test_dry_run_writes_nothing_and_bad_rows_name_row_and_column(tmp_path, org):
    path, headers = customer_file(
        tmp_path,
        [
            ["C1", "Ann", "ann@example.com", "gold", ""],
            ["", "Nobody", "", "gold", ""],
            ["C3", "Cy", "not an address", "gold", ""],
            ["C4", "Dee", "", "gold", ""],
        ],
    )
    dry = run(org, path, headers, dry_run=True)
    assert (dry.accepted, dry.rejected) == (2, 2)
    assert not Customer.objects.filter(organisation=org).exists()
    job = run(org, path, headers)
    assert (job.accepted, job.rejected) == (2, 2)
    assert sorted(Customer.objects.filter(organisation=org).values_list("key", flat=True)) == [
        "C1",
        "C4",
    ]
    rejected = {r.row_number: (r.column, r.reason) for r in ImportRejection.objects.filter(job=job)}
    assert rejected[2] == ("Customer", "This value is required and is empty.")
    assert rejected[3] == ("E-mail", "“not an address” is not an e-mail address.")


def test_the_import_pages_take_a_customer_file_with_a_dry_run_first(
    client_as, org, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from goaldesk.accounts.models import Role
    from goaldesk.interactions.tasks import import_job_task

    settings.MEDIA_ROOT = tmp_path / "media"
    client = client_as(Role.MANAGER)
    start = reverse("imports:start", args=[org.slug])
    # The customers list's button opens the upload with "customers" chosen.
    assert client.get(start, {"kind": "customers"}).context["form"].initial == {"kind": "customers"}
    text = "Client,Name,Tier\nK1,Sara,gold\nK2,Reza,\n,Nobody,gold\n"
    client.post(
        start,
        {"file": SimpleUploadedFile("clients.csv", text.encode()), "kind": "customers"},
    )
    job = ImportJob.objects.get(organisation=org)
    mapping = reverse("imports:mapping", args=[org.slug, job.pk])
    page = client.get(mapping).content.decode()
    assert 'name="map_customer_id"' in page and 'name="map_channel"' not in page
    assert "Every other column of the file becomes an attribute" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(mapping, {"map_customer_id": "Client", "map_name": "Name", "action": "dry_run"})
    assert import_job_task.call(job.pk) == {"rows": 3, "accepted": 2, "updated": 0, "rejected": 1}
    assert not Customer.objects.filter(organisation=org).exists()
