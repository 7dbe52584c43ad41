"""The FAQ: the organisation's pages to write it, under /o/<org_slug>/help-centre/ (the public
help centre is in public_urls.py, wired in goaldesk/urls.py)."""

from django.urls import path

from goaldesk.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("help-centre/", views.article_list, name="articles"),
    path("help-centre/new/", views.article_new, name="article_new"),
    path("help-centre/articles/<int:article_id>/", views.article_detail, name="article"),
    path("help-centre/articles/<int:article_id>/edit/", views.article_edit, name="article_edit"),
    path("help-centre/articles/<int:article_id>/state/", views.article_state, name="article_state"),
    path("help-centre/categories/", views.categories, name="categories"),
    path("help-centre/categories/<int:category_id>/", views.category_edit, name="category_edit"),
    path("help-centre/fail-most/", views.failing, name="failing"),
]
