"""The canonical interaction record of METRICS.md: its columns, in order."""

CANONICAL_FIELDS = (
    "external_id",
    "channel",
    "created_at",
    "customer_id",
    "agent",
    "team",
    "category",
    "first_response_at",
    "resolved_at",
    "status",
    "outcome",
    "wait_seconds",
    "handle_seconds",
    "csat",
    "nps",
    "ces",
    "sentiment_start",
    "sentiment_end",
    "arrived_at",
    "fixed_at",
)
REQUIRED_FIELDS = ("external_id", "channel", "created_at")
