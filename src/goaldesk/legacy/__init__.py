"""Migration history of apps that were split up. No code goes here.

`legacy/workforce/` keeps the migrations that created the forecasting and scheduling tables
before those became two apps (its tables keep their `workforce_` names). Databases of any release
replay them, then `forecasting` and `scheduling` take the tables over without touching them.
"""
