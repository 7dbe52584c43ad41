"""The REST API: one router per app, mounted under /api/. OpenAPI schema at /api/docs."""

from ninja import NinjaAPI

api = NinjaAPI(title="GoalDesk API", version="1", urls_namespace="api")
