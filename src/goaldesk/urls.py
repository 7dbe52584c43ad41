from django.urls import include, path

from goaldesk.api.urls import api
from goaldesk.feedback.public_views import survey_page

urlpatterns = [
    path("", include("goaldesk.accounts.urls")),
    path("", include("goaldesk.notifications.urls")),
    path("o/<slug:org_slug>/", include("goaldesk.team.urls")),
    path("o/<slug:org_slug>/", include("goaldesk.customers.urls")),
    path("o/<slug:org_slug>/", include("goaldesk.interactions.urls")),
    path("o/<slug:org_slug>/", include("goaldesk.interactions.import_urls")),
    path("o/<slug:org_slug>/", include("goaldesk.metrics.urls")),
    path("o/<slug:org_slug>/", include("goaldesk.goals.urls")),
    path("o/<slug:org_slug>/", include("goaldesk.forecasting.urls")),
    path("o/<slug:org_slug>/", include("goaldesk.scheduling.urls")),
    path("", include("goaldesk.scheduling.feed_urls")),
    path("o/<slug:org_slug>/", include("goaldesk.coaching.urls")),
    path("o/<slug:org_slug>/", include("goaldesk.feedback.urls")),
    path("o/<slug:org_slug>/", include("goaldesk.knowledge.urls")),
    path("s/<str:token>/", survey_page, name="survey"),
    path("", include("goaldesk.knowledge.public_urls")),
    path("api/", api.urls),
]
