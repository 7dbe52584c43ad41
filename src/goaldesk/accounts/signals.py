"""What accounts tells the apps above it, which it may not import.

`clock_changed(organisation=…)`: the organisation's time zone, weekend, business hours or
holidays changed, inside the transaction that saves them. `interactions` listens (see its `apps.py`) and queues the
recomputation of its derived columns once the transaction commits.
"""

from django.dispatch import Signal

clock_changed = Signal()
