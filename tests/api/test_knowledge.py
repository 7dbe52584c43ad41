"""The FAQ's API: published articles only, of the caller's organisation."""

from goaldesk.accounts.models import Role
from tests.api.conftest import BASE, ApiClient, make_token
from tests.knowledge.factories import article_make


def test_published_articles_are_listed_searched_and_read(org, other_org):
    shown = article_make(
        org, {"en": ("Refunds", "<script>x</script> **14 days**"), "fa": ("بازپرداخت", "تا ۱۴ روز")}
    )
    article_make(org, {"en": ("Draft", "")}, state="draft")
    api = ApiClient(make_token(org, Role.VIEWER))
    listed = api.get(f"{BASE}/{org.slug}/faq/articles").json()
    assert [a["id"] for a in listed] == [shown.pk]
    assert {t["language"]: t["direction"] for t in listed[0]["texts"]} == {"en": "ltr", "fa": "rtl"}
    assert (
        api.get(f"{BASE}/{org.slug}/faq/articles", {"q": "بازپرداخت"}).json()[0]["id"] == shown.pk
    )
    assert api.get(f"{BASE}/{org.slug}/faq/articles", {"q": "nothing"}).json() == []
    one = api.get(f"{BASE}/{org.slug}/faq/articles/{shown.pk}").json()
    en = next(t for t in one["texts"] if t["language"] == "en")
    assert "<strong>14 days</strong>" in en["html"] and "<script" not in en["html"]


def test_drafts_and_other_organisations_articles_are_not_found(org, other_org):
    draft = article_make(org, {"en": ("Draft", "")}, state="draft")
    theirs = article_make(other_org, {"en": ("Theirs", "")})
    api = ApiClient(make_token(org, Role.VIEWER))
    assert api.get(f"{BASE}/{org.slug}/faq/articles/{draft.pk}").status_code == 404
    assert api.get(f"{BASE}/{org.slug}/faq/articles/{theirs.pk}").status_code == 404
    assert api.get(f"{BASE}/{other_org.slug}/faq/articles").status_code == 404
    assert ApiClient().get(f"{BASE}/{org.slug}/faq/articles").status_code == 401
