"""What customers tells the apps above it, which it may not import.

`segment_renamed(segment=…, old_name=…)`: the segment was renamed, inside the transaction that
saves it. Apps that name segments outside a foreign key (a goal's scope) rewrite the name.

`segment_deleting(segment=…)`: asked before a segment is deleted; each receiver answers with the
names of what still uses it (a goal's title…). A segment in use is not deleted.
"""

from django.dispatch import Signal

segment_renamed = Signal()
segment_deleting = Signal()
