from django.urls import path

from goaldesk.interactions import views

app_name = "interactions"

urlpatterns = [
    path("interactions/", views.interaction_list, name="list"),
    path("log/", views.log_visit, name="log_visit"),
    path("import/", views.import_start, name="import_start"),
]
