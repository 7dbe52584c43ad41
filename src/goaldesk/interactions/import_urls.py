"""The import pages, under /o/<org_slug>/import/."""

from django.urls import path

from goaldesk.interactions import import_views as views

app_name = "imports"

urlpatterns = [
    path("import/", views.import_start, name="start"),
    path("import/template.csv", views.import_template_csv, name="template_csv"),
    path("import/template.xlsx", views.import_template_xlsx, name="template_xlsx"),
    path("import/values/", views.import_values, name="values"),
    path("import/<int:job_id>/", views.import_job, name="job"),
    path("import/<int:job_id>/mapping/", views.import_mapping, name="mapping"),
    path("import/<int:job_id>/progress/", views.import_progress, name="progress"),
    path("import/<int:job_id>/rejected.csv", views.import_rejected_csv, name="rejected_csv"),
    path("import/<int:job_id>/import/", views.import_for_real, name="for_real"),
    path("import/<int:job_id>/retry/", views.import_retry, name="retry"),
]
