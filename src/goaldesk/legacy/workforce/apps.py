from django.apps import AppConfig


class WorkforceHistoryConfig(AppConfig):
    """The migrations of the former workforce app; its models now live in forecasting and scheduling."""

    name = "goaldesk.legacy.workforce"
    label = "workforce"
