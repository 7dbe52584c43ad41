"""The demo: believable data for a made-up organisation, built into the database and served.

`generator` is pure Python (no Django) and deterministic for a seed; `build` writes it through the
interactions services; `goals` adds goals in every state and `schedule` a published week;
`commands` holds `goaldesk demo` and `goaldesk demo-data`. Demo code may use any app; no app
uses it.
"""
