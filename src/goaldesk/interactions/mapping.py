"""Mapping a file's columns onto the canonical fields: the presets of the tools people export
from, reading a JSON mapping file, and guessing a mapping from the header.

Mapping. A mapping is {canonical field: file header}. A preset gives the usual headers of one
source, value translations and conversions; `guess_mapping` fills what a preset does not name
from the canonical names and common synonyms (case-, space- and punctuation-insensitive).

Presets:
- `canonical`: the file uses METRICS.md's own column names.
- `zendesk`: a Zendesk Support ticket export (the CSV export in Reporting, or an Explore
  "Tickets" report with the same columns): Id → external_id; Via → channel (Mail/Email →
  email; Web Form/Web/Web Service/API/Help Center/Mobile → web; Chat/Native Messaging/Web
  Widget/Mobile SDK → chat; Voice/Phone → phone; Twitter/Facebook/Instagram/WhatsApp/
  Messenger/LINE/WeChat/Telegram/Text → social); Created at → created_at; Requester id (else
  Requester) → customer_id; Assignee → agent; Group → team; the first column whose name
  contains "category" (a custom field such as "Category [list]") → category; "First reply time
  in minutes" (calendar minutes) → first_response_at = created_at + those minutes; Solved at →
  resolved_at; Status (New/Open/Pending/Hold → open, Solved/Closed → resolved) → status;
  Satisfaction Score → csat with Good = 5 and Bad = 1 (Offered/Unoffered = no answer), so
  csat_pct equals Zendesk's satisfaction rate; the mean CSAT of such data is only a rough
  figure. A Via, Status or score outside these lists rejects its row with the value quoted.
- A JSON file: {"columns": {field: header or [headers, first present wins]},
  "values": {field: {"source value": "canonical value"}}, "minutes_after_created": [fields],
  "date_order": "dmy" | "mdy" | "ymd", "date_format": strptime format or "epoch",
  "empty_values": ["?"], "fixed": {field: value}} (every key but "columns" optional).
"""

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goaldesk.core.parsing import DATE_ORDERS, check_date_format
from goaldesk.core.tabular import DEFAULT_LAYOUT, TableError, TableLayout
from goaldesk.interactions.models import ImportJob
from goaldesk.interactions.records import (
    CANONICAL_FIELDS,
    CUSTOMER_FIELDS,
    CUSTOMER_REQUIRED_FIELDS,
    REQUIRED_FIELDS,
    REVIEW_FIELDS,
    REVIEW_REQUIRED_FIELDS,
)

#: The file cannot be used at all: unreadable, wrong format (raised by the shared reader) or an
#: unusable mapping.
ImportFileError = TableError


def normalize_header(name: str) -> str:
    """'First reply time (min)' → 'first_reply_time_min': for matching, never for display."""
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


@dataclass(frozen=True)
class Preset:
    """Where a source system puts each canonical field, and how its values translate."""

    name: str
    label: Any  # text, possibly translated lazily
    #: canonical field → candidate headers, the first one present in the file wins
    columns: Mapping[str, Sequence[str]] = field(default_factory=dict)
    #: canonical field → {source value (any case) → canonical value}
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: fields whose file value is a number of minutes after created_at
    minutes_after_created: frozenset[str] = frozenset()
    #: How the file's dates are written when not ISO 8601: "dmy" (29/02/2016 01:16),
    #: "mdy" (02/29/2016 1:16 AM) or "ymd"; "" = ISO 8601, else guessed from the file.
    date_order: str = ""
    #: An explicit way of writing dates that overrides `date_order`: a strptime format
    #: ("%a %b %d %H:%M:%S %z %Y" for Twitter's "Tue Oct 31 22:10:47 +0000 2017") or
    #: "epoch" (Unix seconds). ISO 8601 text is read as well.
    date_format: str = ""
    #: Texts that mean "no value" in this source (ServiceNow writes "?").
    empty_values: frozenset[str] = frozenset()
    #: The file's shape: "table" (a row per interaction; the same id again: the last row wins),
    #: "eventlog" (a row per event of a case) or "thread" (a row per message).
    shape: str = "table"
    #: The shape's settings (which columns hold the case, the activity, the parent message…).
    shape_options: Mapping[str, Any] = field(default_factory=dict)
    #: canonical field → the value every interaction of this source gets (an event log has
    #: no channel column).
    fixed: Mapping[str, str] = field(default_factory=dict)
    #: The header of a typical file, shown on the import page so a user recognises theirs.
    sample_header: Sequence[str] = ()
    #: Where the preset's columns and values come from (docs/import.md cites it).
    source_document: str = ""
    #: Where the table lies in the file: the header's row, a footer after a blank row.
    layout: TableLayout = DEFAULT_LAYOUT

    def transforms(self) -> dict[str, Any]:
        """What a job's mapping keeps of the preset (under "_transforms"), so the job reads its
        file the same way wherever it runs: values, minutes, dates, empty and fixed values."""
        return {
            "values": {f: {k.lower(): v for k, v in m.items()} for f, m in self.values.items()},
            "minutes_after_created": sorted(self.minutes_after_created),
            "date_order": self.date_order,
            "date_format": self.date_format,
            "empty_values": sorted({v.strip().lower() for v in self.empty_values}),
            "fixed": dict(self.fixed),
        }


#: Common header names of each canonical field (compared after `normalize_header`).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "external_id": (
        "id",
        "ticket_id",
        "ticket",
        "case_id",
        "caseid",
        "interaction_id",
        "call_id",
        "contact_id",
        "reference",
        "ref",
        "ticket_number",
    ),
    "channel": ("via", "medium", "channel_type", "source_channel"),
    "created_at": (
        "created",
        "created_date",
        "creation_date",
        "date_created",
        "opened_at",
        "start_time",
        "started_at",
        "timestamp",
        "arrival_time",
        "date_time",
    ),
    "customer_id": (
        "customer",
        "customer_key",
        "customer_email",
        "client",
        "client_id",
        "requester_id",
        "requester",
        "caller_id",
        "caller",
    ),
    "agent": (
        "agent_id",
        "agent_key",
        "agent_email",
        "agent_name",
        "assignee",
        "assignee_email",
        "handled_by",
        "owner",
    ),
    "team": ("team_name", "group", "group_name", "queue", "department"),
    "category": ("category_name", "topic", "reason", "contact_reason", "issue_type"),
    "first_response_at": ("first_response", "first_reply_at", "first_responded_at", "answered_at"),
    "resolved_at": ("resolved", "resolution_date", "resolved_date", "solved_at", "closed_at"),
    "status": ("state", "ticket_status"),
    "outcome": ("result",),
    "wait_seconds": ("wait", "wait_time", "wait_sec", "queue_time", "queue_seconds"),
    "handle_seconds": ("handle_time", "handling_time", "handle_sec", "aht", "talk_time"),
    "csat": ("csat_score", "satisfaction"),
    "nps": ("nps_score", "recommend"),
    "ces": ("ces_score", "effort", "customer_effort"),
    "sentiment_start": ("mood_start", "sentiment_before", "mood_on_arrival"),
    "sentiment_end": ("mood_end", "sentiment_after", "mood_on_leaving"),
    "arrived_at": ("on_site_at", "arrival_at", "technician_arrived_at"),
    "fixed_at": ("repaired_at", "fixed", "repair_completed_at"),
}
REVIEW_SYNONYMS: dict[str, tuple[str, ...]] = {
    "external_id": ("id", "review_id"),
    "source": ("site", "platform"),
    "date": ("review_date", "created_at", "created", "published_at"),
    "rating": ("stars", "score"),
    "text": ("review", "comment", "body"),
    "author": ("reviewer", "name", "user"),
}

_ZENDESK_CHANNELS = {
    "mail": "email",
    "email": "email",
    "e-mail": "email",
    "web form": "web",
    "web": "web",
    "web service": "web",
    "api": "web",
    "help center": "web",
    "mobile": "web",
    "any channel": "web",
    "closed ticket": "web",
    "chat": "chat",
    "native messaging": "chat",
    "messaging": "chat",
    "web widget": "chat",
    "mobile sdk": "chat",
    "chat transcript": "chat",
    "voice": "phone",
    "phone": "phone",
    "phone call (inbound)": "phone",
    "phone call (outbound)": "phone",
    "voicemail": "phone",
    "twitter": "social",
    "twitter dm": "social",
    "facebook": "social",
    "facebook post": "social",
    "facebook private message": "social",
    "instagram": "social",
    "instagram direct": "social",
    "whatsapp": "social",
    "messenger": "social",
    "line": "social",
    "wechat": "social",
    "telegram": "social",
    "text": "social",
    "sms": "social",
}

_ZENDESK_HEADER = (
    "Summation column", "Id", "Requester", "Requester id", "Requester external id",
    "Requester email", "Requester domain", "Submitter", "Assignee", "Group",
    "Subject", "Tags", "Status", "Priority", "Via", "Ticket type", "Created at",
    "Updated at", "Assigned at", "Organization", "Due date", "Initially assigned at",
    "Solved at", "Resolution time", "Satisfaction Score", "Group stations",
    "Assignee stations", "Reopens", "Replies", "First reply time in minutes",
    "First reply time in minutes within business hours",
    "First resolution time in minutes", "Full resolution time in minutes",
    "Agent wait time in minutes", "Requester wait time in minutes",
    "On hold time in minutes",
)  # fmt: skip

PRESETS: dict[str, Preset] = {
    "canonical": Preset(
        name="canonical",
        label=gettext_lazy("GoalDesk’s own columns (listed below)"),
        columns={f: (f,) for f in CANONICAL_FIELDS},
        sample_header=tuple(CANONICAL_FIELDS),
        source_document="docs/import.md, “The columns of an interactions file”",
    ),
    "zendesk": Preset(
        name="zendesk",
        label=gettext_lazy("Zendesk ticket export"),
        columns={
            "external_id": ("Id", "Ticket ID"),
            "channel": ("Via", "Ticket channel"),
            "created_at": ("Created at", "Ticket created - Timestamp"),
            "customer_id": ("Requester id", "Requester ID", "Requester"),
            "agent": ("Assignee", "Assignee name"),
            "team": ("Group", "Ticket group"),
            "first_response_at": ("First reply time in minutes",),
            "resolved_at": ("Solved at", "Ticket solved - Timestamp"),
            "status": ("Status", "Ticket status"),
            "csat": ("Satisfaction Score", "Ticket satisfaction rating"),
        },
        values={
            "channel": _ZENDESK_CHANNELS,
            "status": {
                "new": "open",
                "open": "open",
                "pending": "open",
                "hold": "open",
                "on-hold": "open",
                "on hold": "open",
                "solved": "resolved",
                "closed": "resolved",
            },
            "csat": {
                "good": "5",
                "bad": "1",
                "offered": "",
                "unoffered": "",
                "not offered": "",
            },
        },
        minutes_after_created=frozenset({"first_response_at"}),
        sample_header=_ZENDESK_HEADER,
    ),
}


# --- table-shaped exports of other helpdesks (issue 20) -------------------------------------
# Each is researched from the tool's own documentation or public code (`source_document`);
# docs/import.md has its column and value tables. A value not in a table is not guessed: the
# row names it, and the mapping step lets the user map it once. Headers are compared after
# `normalize_header` (capitals, spaces and punctuation do not matter).

_SERVICENOW_HEADER = (
    "number", "incident_state", "active", "reassignment_count", "reopen_count",
    "sys_mod_count", "made_sla", "caller_id", "opened_by", "opened_at", "sys_created_by",
    "sys_created_at", "sys_updated_by", "sys_updated_at", "contact_type", "location",
    "category", "subcategory", "u_symptom", "cmdb_ci", "impact", "urgency", "priority",
    "assignment_group", "assigned_to", "knowledge", "u_priority_confirmation", "notify",
    "problem_id", "rfc", "vendor", "caused_by", "closed_code", "resolved_by", "resolved_at",
    "closed_at",
)  # fmt: skip

_FRESHDESK_HEADER = (
    "Ticket ID", "Subject", "Description", "Status", "Priority", "Source", "Type", "Agent",
    "Group", "Created time", "Due by Time", "Resolved time", "Closed time", "Last update time",
    "Initial response time", "Time tracked", "First response time (in hrs)",
    "Resolution time (in hrs)", "Agent interactions", "Customer interactions",
    "Resolution status", "First response status", "Tags", "Survey results", "Product",
    "Full name", "Email", "Contact ID",
)  # fmt: skip

_ZAMMAD_HEADER = (
    "#", "Title", "State", "Priority", "Group", "Owner", "Customer", "Organization",
    "Create Channel", "Sender", "Tags", "Time Units Total", "Pending till", "Tags",
    "Created At", "Updated At", "Closed At", "Close Escalation At", "Close In Min",
    "Close Diff In Min", "First Response At", "First Response Escalation At",
    "First Response In Min", "First Response Diff In Min", "Update Escalation At",
    "Update In Min", "Update Diff In Min", "Last Contact At", "Last Contact Agent At",
    "Last Contact Customer At", "Article Count", "Escalation At",
)  # fmt: skip

_OSTICKET_HEADER = (
    "Ticket Number", "Date Created", "Subject", "From", "From Email", "Priority",
    "Department", "Help Topic", "Source", "Current Status", "Last Updated", "SLA Due Date",
    "SLA Plan", "Due Date", "Closed Date", "Overdue", "Merged", "Linked", "Answered",
    "Agent Assigned", "Team Assigned", "Thread Count", "Reopen Count", "Attachment Count",
    "Task Count",
)  # fmt: skip

_ODOO_HEADER = (
    "Ticket number", "Title", "Created on", "Assigned Date", "Closed Date", "Stage", "Team",
    "Assigned user", "Contact", "Email", "Category", "Channel", "Priority", "Tags",
)  # fmt: skip

TABLE_PRESETS: dict[str, Preset] = {
    "servicenow": Preset(
        name="servicenow",
        label=gettext_lazy("ServiceNow incident export or incident event log"),
        columns={
            "external_id": ("number", "Number"),
            "created_at": ("opened_at", "Opened"),
            "resolved_at": ("resolved_at", "Resolved"),
            "customer_id": ("caller_id", "Caller"),
            "agent": ("assigned_to", "Assigned to"),
            "team": ("assignment_group", "Assignment group"),
            "category": ("category", "Category"),
            "channel": ("contact_type", "Channel"),
            "status": ("incident_state", "state", "Incident state", "State"),
        },
        values={
            "channel": {
                "phone": "phone",
                "ivr": "phone",
                "email": "email",
                "self service": "web",
                "self-service": "web",
                "walk-in": "walk_in",
                "chat": "chat",
                "virtual agent": "chat",
                "virtual_agent": "chat",
            },
            "status": {
                "new": "open",
                "active": "open",
                "in progress": "open",
                "on hold": "open",
                "awaiting user info": "open",
                "awaiting problem": "open",
                "awaiting vendor": "open",
                "awaiting evidence": "open",
                "resolved": "resolved",
                "closed": "resolved",
            },
        },
        date_order="dmy",
        empty_values=frozenset({"?"}),
        sample_header=_SERVICENOW_HEADER,
        source_document=(
            "UCI Machine Learning Repository, “Incident management process enriched event log” "
            "(Amaral, Fantinato, Peres, 2018), "
            "https://archive.ics.uci.edu/dataset/498/incident+management+process+enriched+event+log; "
            "ServiceNow product documentation (release Australia), “Field types affected by "
            "export” and “System properties for display value and header” "
            "(glide.export.csv.raw.value, glide.export.csv.column_header_label), "
            "https://www.servicenow.com/docs/r/australia/platform-administration/"
            "table-administration-and-data-management/field-types-affected.html"
        ),
    ),
    "freshdesk": Preset(
        name="freshdesk",
        label=gettext_lazy("Freshdesk ticket export"),
        columns={
            "external_id": ("Ticket ID",),
            "created_at": ("Created time",),
            "first_response_at": ("Initial response time",),
            "resolved_at": ("Resolved time",),
            "customer_id": ("Email", "Contact ID", "Full name"),
            "agent": ("Agent",),
            "team": ("Group",),
            "category": ("Category", "Type"),
            "channel": ("Source",),
            "status": ("Status",),
        },
        values={
            "channel": {
                "email": "email",
                "outbound email": "email",
                "portal": "web",
                "feedback widget": "web",
                "forum": "web",
                "forums": "web",
                "phone": "phone",
                "chat": "chat",
                "mobihelp": "chat",
                "twitter": "social",
                "facebook": "social",
                "whatsapp": "social",
            },
            "status": {
                "open": "open",
                "pending": "open",
                "resolved": "resolved",
                "closed": "resolved",
            },
        },
        sample_header=_FRESHDESK_HEADER,
        source_document=(
            "Freshdesk’s own Rails code, test TicketsExportTest (the export’s ticket fields "
            "and their headers; a public copy found by its text “First response time (in "
            "hrs)”); Freshdesk API v2 reference, https://developers.freshdesk.com/api/#tickets "
            "(source and status codes)"
        ),
    ),
    "zammad": Preset(
        name="zammad",
        label=gettext_lazy("Zammad ticket list from Reporting (Excel sheet)"),
        columns={
            "external_id": ("#",),
            "created_at": ("Created At",),
            "first_response_at": ("First Response At",),
            "resolved_at": ("Closed At",),
            "customer_id": ("Customer",),
            "agent": ("Owner",),
            "team": ("Group",),
            "category": ("Category",),
            "channel": ("Create Channel",),
            "status": ("State",),
        },
        values={
            "channel": {
                "email": "email",
                "fax": "email",
                "phone": "phone",
                "web": "web",
                "chat": "chat",
                "sms": "social",
                "twitter status": "social",
                "twitter direct-message": "social",
                "facebook feed post": "social",
                "facebook feed comment": "social",
                "facebook direct-message": "social",
                "telegram personal-message": "social",
                "whatsapp message": "social",
            },
            "status": {
                "new": "open",
                "open": "open",
                "pending reminder": "open",
                "pending close": "open",
                "closed": "resolved",
            },
        },
        # User 1, Zammad's "no owner", is named "-".
        empty_values=frozenset({"-"}),
        layout=TableLayout(header_row=3, end_at_blank_row=True),
        sample_header=_ZAMMAD_HEADER,
        source_document=(
            "zammad/zammad on GitHub: lib/excel_sheet/ticket.rb (the columns), lib/excel_sheet.rb "
            "(title on row 1, header on row 3, footer “Timezone: …”, dates as "
            "“2019-08-19 16:21:52” in the report’s time zone), "
            "app/controllers/reports_controller.rb, db/seeds/ticket_states.rb, "
            "db/seeds/ticket_article_types.rb, db/seeds/user_nr_1.rb"
        ),
    ),
    "osticket": Preset(
        name="osticket",
        label=gettext_lazy("osTicket ticket export"),
        columns={
            "external_id": ("Ticket Number",),
            "created_at": ("Date Created",),
            "resolved_at": ("Closed Date",),
            "customer_id": ("From Email", "From"),
            "agent": ("Agent Assigned",),
            "team": ("Department", "Team Assigned"),
            "category": ("Help Topic",),
            "channel": ("Source",),
            "status": ("Current Status",),
        },
        values={
            "channel": {"email": "email", "phone": "phone", "web": "web"},
            "status": {"open": "open", "resolved": "resolved", "closed": "resolved"},
        },
        sample_header=_OSTICKET_HEADER,
        source_document=(
            "osTicket/osTicket on GitHub @ 4689926b: include/class.queue.php "
            "(CustomQueue::getExportableFields, export), include/class.ticket.php (sources), "
            "include/class.format.php and include/class.config.php (dates in the locale’s "
            "short format), include/class.i18n.php (“;” where the decimal mark is “,”), "
            "include/i18n/en_US/ticket_status.yaml"
        ),
    ),
    "odoo": Preset(
        name="odoo",
        label=gettext_lazy("Odoo helpdesk tickets (OCA Helpdesk Management)"),
        columns={
            "external_id": ("Ticket number", "number"),
            "created_at": ("Created on", "create_date"),
            "resolved_at": ("Closed Date", "closed_date"),
            "customer_id": ("Email", "partner_email", "Contact", "partner_id"),
            "agent": ("Assigned user", "user_id"),
            "team": ("Team", "team_id"),
            "category": ("Category", "category_id"),
            "channel": ("Channel", "channel_id"),
            "status": ("Stage", "stage_id"),
        },
        values={
            "channel": {"email": "email", "phone": "phone", "web": "web"},
            "status": {
                "new": "open",
                "in progress": "open",
                "awaiting": "open",
                "done": "resolved",
            },
        },
        sample_header=_ODOO_HEADER,
        source_document=(
            "odoo/odoo on GitHub: addons/web/controllers/export.py (labels, or technical names "
            "for an import-compatible export) and odoo/orm/fields_temporal.py (dates as "
            "YYYY-MM-DD HH:MM:SS in the user’s time zone); OCA/helpdesk on GitHub: "
            "helpdesk_mgmt/models/helpdesk_ticket.py and helpdesk_mgmt/data/helpdesk_data.xml"
        ),
    ),
}
PRESETS.update(TABLE_PRESETS)


#: Final activities the `eventlog` preset resolves a case with unless told otherwise: `6` is
#: the last activity of every case of the anonymised helpdesk log (CaseID, ActivityID,
#: CompleteTimestamp), `Closed` that of its named version (Case ID, Activity, Complete
#: Timestamp). Compared case-insensitively after trimming.
EVENTLOG_FINAL_ACTIVITIES = ("6", "Closed")
#: The channel an event log's interactions get unless told otherwise (the file has none).
EVENTLOG_CHANNEL = "web"

#: Chatwoot inbox channel types (`meta.channel`) → channel.
_CHATWOOT_CHANNELS = {
    "channel::webwidget": "chat",
    "channel::email": "email",
    "channel::facebookpage": "social",
    "channel::instagram": "social",
    "channel::twitterprofile": "social",
    "channel::whatsapp": "social",
    "channel::telegram": "social",
    "channel::line": "social",
    "channel::twiliosms": "social",
    "channel::sms": "social",
    "channel::voice": "phone",
}

#: The presets of files that are not one row per interaction (see interactions/reduction.py
#: for what `shape_options` say).
SHAPED_PRESETS: dict[str, Preset] = {
    "eventlog": Preset(
        name="eventlog",
        label=gettext_lazy("Event log (case id, activity, timestamp)"),
        columns={
            "external_id": ("CaseID", "Case ID", "case:concept:name", "case"),
            "created_at": (
                "CompleteTimestamp",
                "Complete Timestamp",
                "time:timestamp",
                "timestamp",
            ),
            "agent": ("Resource", "org:resource"),
        },
        shape="eventlog",
        shape_options={
            "columns": {"activity": ("ActivityID", "Activity", "concept:name", "activity")},
            "resolves": {"activity": EVENTLOG_FINAL_ACTIVITIES},
        },
        fixed={"channel": EVENTLOG_CHANNEL},
        sample_header=("CaseID", "ActivityID", "CompleteTimestamp"),
        source_document=(
            "verenich/ProcessSequencePrediction data/helpdesk.csv and index.md; "
            "https://data.mendeley.com/datasets/39bp3vv62t/1"
        ),
    ),
    "twitter": Preset(
        name="twitter",
        label=gettext_lazy("Customer Support on Twitter (one row per tweet)"),
        columns={
            "external_id": ("tweet_id",),
            "created_at": ("created_at",),
            "customer_id": ("author_id",),
        },
        date_format="%a %b %d %H:%M:%S %z %Y",
        shape="thread",
        shape_options={
            "columns": {
                "inbound": ("inbound",),
                "parent": ("in_response_to_tweet_id",),
                "author": ("author_id",),
            },
            "opens": {"inbound": ("true",), "parent": ("",)},
            "responds": {"inbound": ("false",), "parent": ("?",)},
            "response_case": "parent",
            "responder": "author",
        },
        fixed={"channel": "social"},
        sample_header=(
            "tweet_id",
            "author_id",
            "inbound",
            "created_at",
            "text",
            "response_tweet_id",
            "in_response_to_tweet_id",
        ),
        source_document=(
            "https://www.kaggle.com/datasets/thoughtvector/customer-support-on-twitter (twcs.csv)"
        ),
    ),
    "chatwoot": Preset(
        name="chatwoot",
        label=gettext_lazy("Chatwoot messages (one row per message, from its API)"),
        columns={
            "external_id": ("conversation_id",),
            "created_at": ("created_at",),
            "channel": ("channel",),
            "customer_id": ("contact_email", "contact_id"),
            "agent": ("assignee_email",),
            "team": ("team",),
            "category": ("labels",),
            "status": ("conversation_status",),
        },
        values={
            "channel": _CHATWOOT_CHANNELS,
            "status": {
                "open": "open",
                "pending": "open",
                "snoozed": "open",
                "resolved": "resolved",
            },
        },
        date_format="epoch",
        shape="thread",
        shape_options={
            "columns": {
                "message_type": ("message_type",),
                "private": ("private",),
                "sender_type": ("sender_type",),
                "content": ("content",),
                "contact": ("contact_id",),
            },
            "responds": {
                "message_type": ("1",),
                "private": ("false", ""),
                "sender_type": ("user",),
            },
            "resolves": {"message_type": ("2",), "content": ("~resolved",)},
            "resolved_needs_status": True,
            "first_label": True,
        },
        sample_header=(
            "conversation_id",
            "conversation_status",
            "channel",
            "contact_id",
            "contact_email",
            "assignee_email",
            "team",
            "labels",
            "message_id",
            "message_type",
            "private",
            "sender_type",
            "sender_name",
            "created_at",
            "content",
        ),
        source_document=(
            "chatwoot/chatwoot app/views/api/v1/conversations/partials/_conversation.json.jbuilder, "
            "app/models/conversation.rb, app/models/message.rb; "
            "https://www.chatwoot.com/developers/api/"
        ),
    ),
    "helpscout": Preset(
        name="helpscout",
        label=gettext_lazy("Help Scout threads (one row per thread, from its API)"),
        columns={
            "external_id": ("conversation_id",),
            "created_at": ("createdAt",),
            "resolved_at": ("closedAt",),
            "channel": ("type",),
            "customer_id": ("primaryCustomer_email",),
            "agent": ("assignee_email",),
            "team": ("mailbox",),
            "category": ("tags",),
            "status": ("status",),
        },
        values={
            "channel": {"email": "email", "chat": "chat", "phone": "phone"},
            "status": {
                "active": "open",
                "open": "open",
                "pending": "open",
                "closed": "resolved",
            },
        },
        shape="thread",
        shape_options={
            "columns": {
                "thread_type": ("thread_type",),
                "thread_by": ("thread_createdBy_type",),
                "thread_time": ("thread_createdAt",),
            },
            "responds": {"thread_type": ("message", "chat", "phone"), "thread_by": ("user",)},
            "response_time": "thread_time",
            "resolved_needs_status": True,
            "first_label": True,
        },
        sample_header=(
            "conversation_id",
            "number",
            "type",
            "status",
            "mailbox",
            "createdAt",
            "closedAt",
            "assignee_email",
            "primaryCustomer_email",
            "tags",
            "thread_id",
            "thread_type",
            "thread_createdBy_type",
            "thread_createdBy_email",
            "thread_createdAt",
        ),
        source_document=(
            "https://developer.helpscout.com/webhooks/objects/conversation, "
            "https://developer.helpscout.com/mailbox-api/endpoints/conversations/threads/list/"
        ),
    ),
}
PRESETS.update(SHAPED_PRESETS)


def load_preset(name_or_path: str | None) -> Preset:
    """A built-in preset by name, or one read from a JSON file; ImportFileError if neither."""
    if not name_or_path:
        return Preset(name="", label="")
    if name_or_path in PRESETS:
        return PRESETS[name_or_path]
    path = Path(name_or_path)
    if not path.suffix.lower() == ".json" or not path.is_file():
        raise ImportFileError(
            _("“%(name)s” is neither a mapping preset (%(presets)s) nor a readable JSON file.")
            % {"name": name_or_path, "presets": ", ".join(PRESETS)}
        )
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
        columns = {
            f: (h,) if isinstance(h, str) else tuple(h) for f, h in spec.get("columns", {}).items()
        }
        values = {f: dict(m) for f, m in spec.get("values", {}).items()}
        minutes = frozenset(spec.get("minutes_after_created", ()))
        date_order = str(spec.get("date_order") or "")
        if date_order not in ("", *DATE_ORDERS):
            raise ValueError(
                _("date_order must be one of %(orders)s") % {"orders": ", ".join(DATE_ORDERS)}
            )
        date_format = check_date_format(str(spec.get("date_format") or ""))
        empty_values = frozenset(str(v) for v in spec.get("empty_values", ()))
        fixed = {str(f): str(v) for f, v in dict(spec.get("fixed", {})).items()}
    except (ValueError, TypeError, AttributeError) as error:
        raise ImportFileError(
            _("The mapping file “%(name)s” is not valid: %(error)s")
            % {"name": name_or_path, "error": error}
        ) from error
    unknown = (set(columns) | set(values) | minutes | set(fixed)) - set(CANONICAL_FIELDS)
    if unknown:
        raise ImportFileError(
            _("The mapping file “%(name)s” names unknown fields: %(fields)s.")
            % {"name": name_or_path, "fields": ", ".join(sorted(unknown))}
        )
    return Preset(
        name=path.stem,
        label=path.stem,
        columns=columns,
        values=values,
        minutes_after_created=minutes,
        date_order=date_order,
        date_format=date_format,
        empty_values=empty_values,
        fixed=fixed,
    )


def guess_mapping(
    headers: Sequence[str], preset: Preset | None = None, *, kind: str = "interactions"
) -> dict[str, str]:
    """{canonical field: header} from the preset's headers, then canonical names and synonyms."""
    fields = kind_fields(kind)
    by_kind: dict[str, dict[str, tuple[str, ...]]] = {
        ImportJob.Kind.REVIEWS: REVIEW_SYNONYMS,
        ImportJob.Kind.CUSTOMERS: CUSTOMER_SYNONYMS,
    }
    synonyms = by_kind.get(kind, SYNONYMS)
    by_name: dict[str, str] = {}
    for header in headers:
        by_name.setdefault(normalize_header(header), header)
    mapping: dict[str, str] = {}
    used: set[str] = set()

    def take(field_name: str, header: str | None) -> bool:
        if header is None or header in used or field_name in mapping:
            return False
        mapping[field_name] = header
        used.add(header)
        return True

    if preset is not None:
        for field_name, candidates in preset.columns.items():
            for candidate in candidates:
                if take(field_name, by_name.get(normalize_header(candidate))):
                    break
    for field_name in fields:
        take(field_name, by_name.get(field_name))
    for field_name in fields:
        for synonym in synonyms.get(field_name, ()):
            if take(field_name, by_name.get(synonym)):
                break
    if kind == ImportJob.Kind.INTERACTIONS and "category" not in mapping:
        for header in headers:
            if "category" in normalize_header(header) and take("category", header):
                break
    return mapping


#: Other names of the customer file's columns (normalized as `normalize_header` does).
CUSTOMER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "customer_id": ("customer", "customer_key", "client_id", "client", "id", "key"),
    "name": ("customer_name", "full_name", "client_name"),
    "email": ("e_mail", "mail", "email_address"),
    "phone": ("telephone", "phone_number", "mobile", "tel"),
    "language": ("lang", "locale"),
}


def kind_fields(kind: str) -> tuple[str, ...]:
    """The canonical fields of a kind of file."""
    by_kind: dict[str, tuple[str, ...]] = {
        ImportJob.Kind.REVIEWS: REVIEW_FIELDS,
        ImportJob.Kind.CUSTOMERS: CUSTOMER_FIELDS,
    }
    return by_kind.get(kind, CANONICAL_FIELDS)


def kind_required(kind: str) -> tuple[str, ...]:
    """The fields a kind of file must have."""
    by_kind: dict[str, tuple[str, ...]] = {
        ImportJob.Kind.REVIEWS: REVIEW_REQUIRED_FIELDS,
        ImportJob.Kind.CUSTOMERS: CUSTOMER_REQUIRED_FIELDS,
    }
    return by_kind.get(kind, REQUIRED_FIELDS)


def missing_required(
    mapping: Mapping[str, str], *, kind: str = "interactions", fixed: Iterable[str] = ()
) -> list[str]:
    """The required fields neither a column nor a fixed value (`fixed`: the fields the
    preset fills) provides."""
    given = set(fixed)
    return [f for f in kind_required(kind) if not mapping.get(f) and f not in given]


def check_mapping(
    mapping: Mapping[str, str], headers: Sequence[str], *, kind: str, fixed: Iterable[str] = ()
) -> None:
    """Raise ImportFileError when a required field is unmapped (and not fixed by the preset)
    or a header is not in the file."""
    missing = missing_required(mapping, kind=kind, fixed=fixed)
    if missing:
        raise ImportFileError(
            _(
                "No column is chosen for the required fields: %(fields)s. The file's columns: "
                "%(headers)s."
            )
            % {"fields": ", ".join(missing), "headers": ", ".join(headers)}
        )
    absent = sorted({h for h in mapping.values() if h and h not in headers})
    if absent:
        raise ImportFileError(
            _("The file has no column named %(columns)s. Its columns: %(headers)s.")
            % {"columns": ", ".join(f"“{h}”" for h in absent), "headers": ", ".join(headers)}
        )
