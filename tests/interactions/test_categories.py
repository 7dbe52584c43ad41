"""Categories: created from the keys that writes bring in, named per language in the settings,
and shown by that name (never the key) on the list, the detail, the breakdowns and their CSV."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.interactions.models import Category, Interaction
from goaldesk.interactions.records import InteractionData
from goaldesk.interactions.selectors import category_names
from goaldesk.interactions.services import interactions_upsert
from tests.api.conftest import ApiClient, make_token
from tests.interactions.test_import import run, write_csv

MARCH = {"from": "2026-03-01", "to": "2026-03-31"}
PERSIAN_NAME = "پرسش درباره محصول"


def record(external_id: str, category: str, channel: str = "email") -> InteractionData:
    return InteractionData(
        external_id=external_id,
        channel=channel,
        created_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
        category=category,
    )


@pytest.fixture
def sold(org):
    """Three interactions about a product question, one about a delivery, one without category."""
    interactions_upsert(
        organisation=org,
        records=[
            record("P-1", "product_question"),
            record("P-2", "product_question"),
            record("P-3", "product_question", channel="chat"),
            record("D-1", "delivery"),
            record("N-1", ""),
        ],
    )
    return org


def names_form(category: Category, **names: str) -> dict[str, str]:
    """The settings form's fields of one category row (languages not given left blank)."""
    return {f"c{category.pk}-{code}": names.get(code, "") for code in ("en", "de", "fa", "ar")}


def list_cells(body: str) -> str:
    return body[body.index("<tbody>") : body.index("</tbody>")]


def test_a_new_key_from_an_import_becomes_a_category_named_from_it(tmp_path, org):
    path = write_csv(
        tmp_path / "in.csv",
        [
            ["T-1", "phone", "2026-03-02 09:00", "product_question"],
            ["T-2", "phone", "2026-03-02 09:05", "product_question"],
            ["T-3", "phone", "2026-03-02 09:10", "returns"],
        ],
        header=["external_id", "channel", "created_at", "category"],
    )
    job = run(org, path)
    assert job.accepted == 3
    assert sorted(Category.objects.filter(organisation=org).values_list("key", flat=True)) == [
        "product_question",
        "returns",
    ]
    # Named from the key until someone names it; a built-in key keeps its translated name.
    assert category_names(organisation=org) == {
        "product_question": "Product question",
        "returns": "Return or exchange",
    }


def test_a_new_key_from_the_api_becomes_a_category(org):
    api = ApiClient(make_token(org, Role.MANAGER))
    response = api.post(
        f"/api/v1/orgs/{org.slug}/interactions",
        {
            "external_id": "A-1",
            "channel": "email",
            "created_at": "2026-03-02T09:00:00Z",
            "category": "warranty_claim",
        },
    )
    assert response.status_code == 201, response.content
    assert Category.objects.get(organisation=org, key="warranty_claim").names == {}
    assert category_names(organisation=org)["warranty_claim"] == "Warranty claim"


def test_the_list_in_persian_shows_the_persian_name_set_in_the_settings(client_as, sold):
    question = Category.objects.get(organisation=sold, key="product_question")
    delivery = Category.objects.get(organisation=sold, key="delivery")
    manager = client_as(Role.MANAGER)
    settings_url = reverse("interactions:categories", args=[sold.slug])
    response = manager.post(
        settings_url,
        {**names_form(question, en="Product question", fa=PERSIAN_NAME), **names_form(delivery)},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.names == {"en": "Product question", "fa": PERSIAN_NAME}

    reader = client_as(Role.VIEWER)
    reader.cookies["django_language"] = "fa"
    body = reader.get(reverse("metrics:interactions", args=[sold.slug]), MARCH).content.decode()
    cells = list_cells(body)
    assert cells.count(f"<bdi>{PERSIAN_NAME}</bdi>") == 3
    assert "product_question" not in cells and "delivery" not in cells
    # A category without a Persian (or organisation-language) name falls back to English, then
    # to the name made from the key.
    assert "<bdi>Delivery</bdi>" in cells


def test_renaming_changes_the_list_the_breakdown_and_its_csv(client_as, sold):
    question = Category.objects.get(organisation=sold, key="product_question")
    client_as(Role.MANAGER).post(
        reverse("interactions:categories", args=[sold.slug]),
        names_form(question, en="Questions about a product"),
    )
    reader = client_as(Role.VIEWER)
    listed = list_cells(
        reader.get(reverse("metrics:interactions", args=[sold.slug]), MARCH).content.decode()
    )
    assert listed.count("<bdi>Questions about a product</bdi>") == 3

    breakdown = reverse("metrics:breakdown", args=[sold.slug, "category"])
    fragment = reader.get(breakdown, MARCH).content.decode()
    heads = [
        re.sub(r"<[^>]+>", "", cell.split(">", 1)[1].split("</th>")[0]).strip()
        for cell in fragment.split('<th scope="row"')[1:]
    ]
    assert heads == ["Questions about a product", "(no category)", "Delivery"]

    rows = list(
        csv.DictReader(
            io.StringIO(reader.get(breakdown, {**MARCH, "format": "csv"}).content.decode())
        )
    )
    # The file keeps the key (to filter or join by) and gives the name beside it.
    assert [(r["group"], r["label"], r["contacts"]) for r in rows] == [
        ("product_question", "Questions about a product", "3"),
        ("", "(no category)", "1"),
        ("delivery", "Delivery", "1"),
    ]


def test_the_settings_page_lists_keys_counts_and_names(client_as, sold):
    body = (
        client_as(Role.MANAGER)
        .get(reverse("interactions:categories", args=[sold.slug]))
        .content.decode()
    )
    assert "<code>product_question</code>" in body and "<code>delivery</code>" in body
    row = body[body.index("<code>product_question</code>") :]
    assert '<td class="num">3</td>' in row[: row.index("</tr>")]
    assert 'placeholder="Product question"' in body


def test_a_name_too_long_gives_a_translated_error_and_changes_nothing(client_as, sold):
    question = Category.objects.get(organisation=sold, key="product_question")
    delivery = Category.objects.get(organisation=sold, key="delivery")
    question.names = {"fa": "سؤال"}
    question.save()
    manager = client_as(Role.MANAGER)
    manager.cookies["django_language"] = "fa"
    response = manager.post(
        reverse("interactions:categories", args=[sold.slug]),
        # delivery's row is fine on its own; nothing is saved while another row is wrong
        {**names_form(question, fa="ارسال", en="x" * 101), **names_form(delivery, fa="ارسال")},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "طول این مقدار باید حداکثر" in body  # "at most 100 characters", in Persian
    question.refresh_from_db()
    delivery.refresh_from_db()
    assert (question.names, delivery.names) == ({"fa": "سؤال"}, {})


def test_two_categories_with_one_name_are_refused(client_as, sold):
    question = Category.objects.get(organisation=sold, key="product_question")
    delivery = Category.objects.get(organisation=sold, key="delivery")
    response = client_as(Role.MANAGER).post(
        reverse("interactions:categories", args=[sold.slug]),
        {**names_form(question, de="Versand"), **names_form(delivery, de="versand ")},
    )
    assert response.status_code == 200
    # Told on the second row (by key), as it was typed there; names differing only in case
    # count as the same.
    assert "Another category is already called “Versand” in this language." in (
        response.content.decode()
    )
    assert not Category.objects.filter(organisation=sold).exclude(names={}).exists()


def test_the_walk_in_buttons_show_the_names(client_as, org):
    from goaldesk.interactions.forms import category_choices

    interactions_upsert(organisation=org, records=[record("V-1", "product_question")])
    today = dt.datetime.now(tz=org.tzinfo).date()
    Interaction.objects.filter(organisation=org).update(local_date=today)
    Category.objects.filter(organisation=org, key="product_question").update(
        names={"en": "About a product"}
    )
    choices = dict(category_choices(org))
    assert choices["product_question"] == "About a product"
    assert choices["returns"] == "Return or exchange"


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("product_question", "Product question"),
        ("VIP_refund", "VIP refund"),  # only the first letter is raised
        ("printer  jam", "Printer jam"),  # typed at the desk
        ("billing", "Billing"),  # a desk default: its translated name
        ("شکایت_مشتری", "شکایت مشتری"),
    ],
)
def test_the_default_name_made_from_a_key(key, name):
    from goaldesk.interactions.models import category_default_name

    assert category_default_name(key) == name
