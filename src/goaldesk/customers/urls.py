"""Customer pages under /o/<org_slug>/customers/: customers, segments."""

app_name = "customers"

urlpatterns: list = []
