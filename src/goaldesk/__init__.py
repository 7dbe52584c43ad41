"""GoalDesk: customer-service goals, metrics, service levels and staffing."""

__version__ = "0.1.0"
