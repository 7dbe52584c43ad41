"""What team tells the apps above it, which it may not import.

`agent_merged(organisation=…, source_key=…, source_id=…, target=…)`: the agent `source_id`
(key `source_key`) was merged into `target`, inside the transaction that moves its rows and
before it is deleted. Apps that name agents by key or id outside a foreign key (a goal's scope)
rewrite those names to the target.
"""

from django.dispatch import Signal

agent_merged = Signal()
