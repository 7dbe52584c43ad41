"""The FAQ: the organisation's pages to write it, under /o/<org_slug>/help-centre/ (and the
public help centre, wired in goaldesk/urls.py)."""

app_name = "knowledge"

urlpatterns: list = []
