"""The locale sweep: an organisation with something on every page, the pages a role reaches from
the navigation, and what is wrong on them for a reader of Persian, Arabic or German.

Used by tests/browser/test_locale_sweep.py. Findings are plain dicts (language, role, url,
page, kind, text, where) so a report can be written as JSON.

Kinds of finding:

* `latin-digit` — a Latin digit in visible text (or a placeholder/title/label, or a chart's tick
  or legend label: `latin-digit-chart`) where the page should write Persian or Arabic-Indic
  digits; text inside `<code>`, `.code`, `<bdi>` and `[dir=auto]` is exempt (codes and
  user-entered text);
* `unmarked-code` — (fa, ar) an identifier, address, file or time-zone name outside `<code>` and
  `.code` (`NE-0001198`, `a.b@example.com`, `Etc/GMT+1`);
* `untranslated` — visible text (or placeholder/title/aria-label, or the window title) equal to
  an English catalogue string that the language's catalogue translates;
* `english-text` — visible text of two or more English words outside code and `<bdi>` (in de:
  with an English word that no German word is, such as "this" or "week");
* `raw-key` — an enumeration key (channel, status, skill, role, category, metric…) as a whole
  word in visible text or in a chart label;
* `date-input` — an `<input type="date">` on a page of a Jalali or Hijri organisation;
* `overflow` — the page is wider than the 1280-pixel window (`overflow-phone`: the dashboard,
  interactions, goals and schedule pages wider than a 390-pixel phone);
* `arrow` — an arrow pointing the wrong way for the page's direction: one that starts its text
  ("← back") must point to where lines start, any other (from → to, "older →") to where they
  end; CSS flips (a transform on a box that is not inline) are taken into account;
* `percent-sign` — (fa, ar with Arabic-Indic digits) "%" beside a number instead of "٪";
* `decimal-sign` — (the same) "." or "," between Persian or Arabic-Indic digits instead of the
  locale's "٫" (decimal) and "٬" (thousands);
* `http-error` — a page linked from the navigation answered 4xx or 5xx.
"""

import contextlib
import csv
import dataclasses
import datetime as dt
import functools
import json
import re
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

PASSWORD = "correct horse battery staple"
ROLES = ("owner", "manager", "agent", "viewer")


@dataclasses.dataclass(frozen=True)
class SweepLocale:
    language: str
    calendar: str
    timezone: str
    arabic_indic_digits: bool
    browser_locale: str
    organisation_name: str
    #: role → user name (names, not role words: a user name equal to a key would be a finding)
    users: dict[str, str]

    @property
    def slug(self) -> str:
        return f"sweep-{self.language}"

    @property
    def native_digits(self) -> bool:
        """Whether numbers on its pages must not be written with 0–9."""
        return self.language == "fa" or (self.language == "ar" and self.arabic_indic_digits)

    @property
    def right_to_left(self) -> bool:
        return self.language in ("fa", "ar")


LOCALES = {
    "fa": SweepLocale(
        "fa", "jalali", "Asia/Tehran", False, "fa-IR", "مرکز تماس آرمان",
        {"owner": "maryam", "manager": "reza", "agent": "sara", "viewer": "navid"},
    ),
    "ar": SweepLocale(
        "ar", "hijri", "Asia/Riyadh", True, "ar-SA", "مركز خدمة الرياض",
        {"owner": "layla", "manager": "omar", "agent": "huda", "viewer": "karim"},
    ),
    "de": SweepLocale(
        "de", "gregorian", "Europe/Berlin", False, "de-DE", "Kundendienst Berlin",
        {"owner": "anna", "manager": "jonas", "agent": "lena", "viewer": "felix"},
    ),
}  # fmt: skip


# --- The organisation ---------------------------------------------------------------------------


def sweep_organisation_build(locale: SweepLocale, *, size: int = 1200) -> dict[str, Any]:
    """The demo's main organisation in `locale`'s language, calendar and time zone, with a user
    per role, goals, a forecast, this week's and next week's schedules, an offered and a taken
    shift swap, an absence, an API token and a finished import with rejected rows.

    Returns {"organisation", "agent_user", "seconds"}.
    """
    from goaldesk.accounts.models import Organisation, Role, today_in
    from goaldesk.accounts.services import api_token_create, member_add, user_get_or_create
    from goaldesk.demo.build import _organisation_build
    from goaldesk.demo.generator import DUBAI
    from goaldesk.demo.goals import goals_demo_build
    from goaldesk.demo.schedule import schedule_demo_build
    from goaldesk.team.models import Agent

    started = time.perf_counter()
    profile = dataclasses.replace(
        DUBAI,
        name=locale.organisation_name,
        timezone=locale.timezone,
        language=locale.language,
    )
    org, _interactions, _reviews = _organisation_build(
        profile=profile, slug=locale.slug, seed=11, size=size, progress=lambda _message: None
    )
    org_settings_apply(org, locale)
    org = Organisation.objects.get(pk=org.pk)
    users = {}
    for role in ROLES:
        users[role] = user_get_or_create(username=locale.users[role], password=PASSWORD)
        member_add(organisation=org, user=users[role], role=Role(role))
    agent = Agent.objects.get(organisation=org, key=DUBAI.agents[0].key)
    agent.user = users["agent"]
    agent.save(update_fields=["user"])

    today = today_in(org)
    goals_demo_build(organisation=org, today=today)
    schedule_demo_build(organisation=org, today=today, time_limit_seconds=5)
    upcoming = schedule_demo_build(
        organisation=org, today=today + dt.timedelta(days=7), time_limit_seconds=5
    )
    _swaps_add(upcoming, agent)
    _absence_add(org, agent, today)
    api_token_create(
        organisation=org, name="Reporting", role=Role.VIEWER, created_by=users["owner"]
    )
    _import_add(org, users["manager"])
    return {
        "organisation": org,
        "agent_user": users["agent"],
        "seconds": round(time.perf_counter() - started, 1),
    }


def org_settings_apply(org: Any, locale: SweepLocale) -> None:
    """The locale's calendar, digits and first day of the week (written directly: nothing
    derived depends on them)."""
    from goaldesk.accounts.models import Organisation
    from goaldesk.accounts.services import default_week_start

    Organisation.objects.filter(pk=org.pk).update(
        calendar=locale.calendar,
        arabic_indic_digits=locale.arabic_indic_digits,
        week_start=default_week_start(locale.timezone),
    )


def _swaps_add(schedule: Any, agent: Any) -> None:
    """The agent user offers one of their shifts; a colleague's offered shift is taken by them
    (waiting for a manager's decision)."""
    from goaldesk.scheduling.models import ScheduledShift
    from goaldesk.scheduling.services import ScheduleError, swap_offer, swap_take

    if schedule is None:
        return
    future = ScheduledShift.objects.filter(schedule=schedule, start__gt=timezone.now())
    own = future.filter(agent=agent).first()
    if own is not None:
        with contextlib.suppress(ScheduleError):
            swap_offer(shift=own, agent=agent)
    for shift in future.exclude(agent=agent).select_related("agent")[:20]:
        try:
            swap = swap_offer(shift=shift, agent=shift.agent)
        except ScheduleError:
            continue
        try:
            swap_take(swap=swap, agent=agent)
            return
        except ScheduleError:
            continue


def _absence_add(org: Any, agent: Any, today: dt.date) -> None:
    from goaldesk.scheduling.services import agent_absence_add

    start = dt.datetime.combine(today + dt.timedelta(days=9), dt.time(9), tzinfo=org.tzinfo)
    agent_absence_add(
        agent=agent, kind="training", start=start, end=start + dt.timedelta(hours=8),
        note="Product training",
    )  # fmt: skip


def _import_add(org: Any, user: Any) -> None:
    """A finished import of a small file, two of whose rows were rejected."""
    from goaldesk.core.tabular import sample_rows
    from goaldesk.interactions.importing import import_run, mapping_for_job
    from goaldesk.interactions.mapping import guess_mapping, load_preset
    from goaldesk.interactions.models import ImportJob

    with tempfile.TemporaryDirectory(prefix="goaldesk-sweep-") as folder:
        path = Path(folder) / "calls-this-week.csv"
        created = timezone.localtime(timezone.now(), org.tzinfo) - dt.timedelta(days=1)
        header = ["external_id", "channel", "created_at", "category", "csat", "wait_seconds"]
        rows = [
            [f"IMP-{n}", ("phone", "email", "chat")[n % 3],
             (created + dt.timedelta(minutes=7 * n)).strftime("%Y-%m-%d %H:%M"),
             ("billing", "product_question", "warranty")[n % 3], str(3 + n % 3), str(20 + n)]
            for n in range(8)
        ]  # fmt: skip
        rows.append(["IMP-bad-1", "phone", "yesterday morning", "billing", "5", "10"])
        rows.append(
            ["IMP-bad-2", "pigeon", created.strftime("%Y-%m-%d %H:%M"), "billing", "4", "3"]
        )
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(rows)
        preset = load_preset("canonical")
        headers, _samples = sample_rows(path, count=1)
        job = ImportJob.objects.create(
            organisation=org,
            created_by=user,
            original_name=path.name,
            mapping=mapping_for_job(
                guess_mapping(headers, preset, kind="interactions"),
                preset=preset,
                headers=headers,
                # As the column page stores them for a manager reading in the organisation's
                # language and calendar.
                calendar=org.calendar,
                language=org.language,
            ),
        )
        import_run(job.pk, source=str(path))


# --- What is wrong: the catalogue, the keys -----------------------------------------------------

_PLACEHOLDER = re.compile(r"%(\(\w+\))?[sdfr]|\{[^}]*\}")


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@functools.cache
def english_catalogue_strings(language: str) -> frozenset[str]:
    """The English strings the language's catalogue translates (differently from the English),
    of four characters or more with a letter and no placeholder, and that are not themselves a
    translation of something in that language (German "Team" translates "Team")."""
    from babel.messages.pofile import read_po

    import goaldesk

    po_path = Path(goaldesk.__file__).parent / "locale" / language / "LC_MESSAGES/django.po"
    with po_path.open("rb") as handle:
        catalogue = read_po(handle)
    english: set[str] = set()
    translations: set[str] = set()
    for message in catalogue:
        if not message.id or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        strings = [_normal(s) for s in strings if s]
        translations.update(strings)
        if not strings:
            continue
        for msgid in ids:
            msgid = _normal(msgid)
            if (
                len(msgid) >= 4
                and re.search(r"[A-Za-z]", msgid)
                and not _PLACEHOLDER.search(msgid)
                and msgid not in strings
            ):
                english.add(msgid)
    return frozenset(english - translations)


@functools.cache
def enumeration_keys() -> frozenset[str]:
    """Every key of the project's TextChoices, the language codes, skills `lang:<code>`, the
    metric keys and the demo's categories."""
    from django.apps import apps
    from django.db.models import TextChoices

    from goaldesk.demo.generator import CATEGORIES, CHANNELS
    from goaldesk.metrics.catalogue import KEYS

    apps.get_models()  # every model module imported, so every TextChoices is defined

    def subclasses(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    keys: set[str] = set()
    for choices in subclasses(TextChoices):
        if choices.__module__.startswith("goaldesk"):
            keys.update(str(member.value) for member in choices)
    codes = [code for code, _name in settings.LANGUAGES]
    keys.update(codes)
    keys.update(f"lang:{code}" for code in codes)
    keys.update(KEYS)
    keys.update(CATEGORIES)
    keys.update(CHANNELS)
    return frozenset(key for key in keys if len(key) >= 2 and re.fullmatch(r"[a-z0-9_:]+", key))


@functools.cache
def _key_pattern(language: str) -> re.Pattern[str]:
    keys = enumeration_keys()
    if language not in ("fa", "ar"):
        # Plain words ("open", "phone") are words in English and German: only keys no word is.
        keys = frozenset(k for k in keys if re.search(r"[_:0-9]", k))
    alternatives = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9_:])(?:{alternatives})(?![A-Za-z0-9_:])")


LATIN_DIGIT = re.compile(r"[0-9]")
#: "%" beside a number, where the locale writes "٪" (Persian, and Arabic with its own digits).
LATIN_PERCENT = re.compile(
    r"[0-9۰-۹٠-٩][\s\u00a0\u200e\u200f\u061c]*%|%[\s\u00a0\u200e\u200f\u061c]*[0-9۰-۹٠-٩]"
)
#: "." or "," between Persian or Arabic-Indic digits, where the locale writes "٫" and "٬".
LATIN_SEPARATOR = re.compile(r"[۰-۹٠-٩][.,][۰-۹٠-٩]")
#: One Latin token with a digit or a separator in it: an identifier, address, file or time-zone
#: name (`NE-0001198`, `C000762`, `a.b@example.com`, `calls.csv`, `Etc/GMT+1`), which stays Latin
#: but belongs in <code> or `.code` (isolated left to right).
CODE_LIKE = re.compile(r"(?=\S*[A-Za-z])(?=\S*[0-9@./_+-])[\x21-\x7e]+")
#: Names that stay Latin on every page, and unit symbols.
LATIN_ALLOWED = {"GoalDesk"}
ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")


#: English words that are not German words, so that they mark English on a German page.
ENGLISH_MARKERS = frozenset(
    {
        "the",
        "of",
        "to",
        "and",
        "is",
        "are",
        "for",
        "with",
        "this",
        "that",
        "these",
        "your",
        "you",
        "from",
        "by",
        "or",
        "on",
        "at",
        "each",
        "which",
        "has",
        "have",
        "been",
        "be",
        "it",
        "its",
        "than",
        "then",
        "when",
        "where",
        "there",
        "their",
        "our",
        "my",
        "month",
        "week",
        "year",
        "today",
        "days",
        "yesterday",
    }
)


def looks_english(text: str, locale: SweepLocale) -> bool:
    """Two or more English words on a Persian or Arabic page; on a German one, two or more
    words of which one is an English word no German word is ("This week")."""
    words = _english_words(text)
    if len(words) < 2:
        return False
    if locale.right_to_left:
        return True
    return any(w.lower() in ENGLISH_MARKERS for w in words)


def _english_words(text: str) -> list[str]:
    if re.search(r"[^\x00-\x7f–—…“”‘’·×→←]", text):
        return []  # other scripts in it: not an English sentence
    return [
        w
        for w in ENGLISH_WORD.findall(text)
        if w not in LATIN_ALLOWED and not w.isupper()  # acronyms: CSAT, CSV, API
    ]


# --- Reading a page -----------------------------------------------------------------------------

#: Run in the page: what a reader sees (text, labels, chart ticks), its date inputs, its width and
#: its links.
COLLECT_JS = r"""
(openDetails) => {
  const EXEMPT = 'code, .code, bdi, [dir=auto], kbd, samp';
  const SKIP = 'script, style, noscript, template, textarea';
  const visible = (el) => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  const where = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      let p = e.tagName.toLowerCase();
      if (e.id) p += '#' + e.id;
      else if (e.classList.length) p += '.' + [...e.classList].slice(0, 2).join('.');
      parts.unshift(p);
    }
    return parts.join(' > ');
  };
  const out = {texts: [], attrs: [], dateInputs: [], charts: [], links: [], arrows: [],
               overflow: null};
  const doc = document.documentElement;
  const rtl = getComputedStyle(doc).direction === 'rtl';
  if (doc.scrollWidth > window.innerWidth + 1) {
    const culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      // Only what sticks out on the side the page scrolls to (the end of the line).
      const out_ = (r) => r.width > 0 && (rtl ? r.left < -1 : r.right > window.innerWidth + 1);
      if (!out_(r) || [...el.children].some((c) => out_(c.getBoundingClientRect()))) continue;
      culprits.push(where(el) + ' [' + Math.round(r.left) + '..' + Math.round(r.right) + '] '
        + (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 40));
      if (culprits.length >= 3) break;
    }
    out.overflow = {scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth, culprits};
  }
  if (openDetails) for (const d of document.querySelectorAll('details')) d.open = true;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.nodeValue.replace(/\s+/g, ' ').trim();
    if (!text) continue;
    const el = n.parentElement;
    if (!el || el.closest(SKIP)) continue;
    const select = el.closest('select');
    if (!(select ? visible(select) : visible(el))) continue;
    // A language's name written in that language (the language switcher) is not a finding.
    const own = el.closest('[lang]');
    if (el.closest('#lang-select') || (own && own !== doc && own.lang !== doc.lang)) continue;
    out.texts.push({text, exempt: !!el.closest(EXEMPT), code: !!el.closest('code, .code'),
                    option: !!select, where: where(el)});
  }
  // Arrows: which way each one points on the screen, and whether it starts its text (a "back"
  // arrow points to where lines start) or follows something (from → to, "older →": to where
  // lines end). A transform flips only a box that is not inline.
  const flipped = (el) => {
    let flips = false;
    for (let e = el; e && e !== doc; e = e.parentElement) {
      const cs = getComputedStyle(e);
      const m = /^matrix\(([-\d.e]+)/.exec(cs.transform);
      const scale = (cs.scale || 'none').trim().split(/\s+/)[0];
      const box = cs.display !== 'inline';
      if (box && m && parseFloat(m[1]) < 0) flips = !flips;
      if (box && scale !== 'none' && parseFloat(scale) < 0) flips = !flips;
    }
    return flips;
  };
  const arrowWalker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = arrowWalker.nextNode(); n; n = arrowWalker.nextNode()) {
    if (!/[→←⟶⟵⇒⇐➔➜]/.test(n.nodeValue)) continue;
    const el = n.parentElement;
    if (!el || el.closest(SKIP) || el.closest(EXEMPT) || !visible(el)) continue;
    let context = el;
    while (context.parentElement && context !== document.body
           && !/[^\s→←⟶⟵⇒⇐➔➜]/.test(context.textContent)) context = context.parentElement;
    const text = context.textContent.replace(/\s+/g, ' ').trim();
    const atStart = /^[→←⟶⟵⇒⇐➔➜]/.test(text);
    const flips = flipped(el);
    for (const ch of n.nodeValue.match(/[→←⟶⟵⇒⇐➔➜]/g)) {
      const right = /[→⟶⇒➔➜]/.test(ch) !== flips;
      const wantRight = atStart ? rtl : !rtl;
      if (right !== wantRight) out.arrows.push({text: text.slice(0, 100), where: where(el),
        shows: right ? '→' : '←', wants: wantRight ? '→' : '←'});
    }
  }
  const labelled = '[placeholder], [title], [aria-label], input[type=submit][value], '
    + 'input[type=button][value]';
  for (const el of document.body.querySelectorAll(labelled)) {
    if (el.closest(SKIP) || !visible(el)) continue;
    for (const attr of ['placeholder', 'title', 'aria-label', 'value']) {
      if (attr === 'value' && !(el.tagName === 'INPUT' && /^(submit|button)$/.test(el.type))) continue;
      const value = (el.getAttribute(attr) || '').replace(/\s+/g, ' ').trim();
      if (value) out.attrs.push({attr, text: value, exempt: !!el.closest(EXEMPT),
                                 code: !!el.closest('code, .code'), option: false,
                                 where: where(el)});
    }
  }
  for (const el of document.querySelectorAll('input[type=date]')) {
    out.dateInputs.push(where(el) + (el.name ? ' name=' + el.name : ''));
  }
  if (window.Chart) {
    for (const canvas of document.querySelectorAll('canvas')) {
      const chart = window.Chart.getChart(canvas);
      if (!chart) continue;
      const labels = [];
      for (const [id, scale] of Object.entries(chart.scales || {})) {
        if (scale.options && scale.options.display === false) continue;
        for (const tick of scale.ticks || []) {
          for (const l of [].concat(tick.label)) if (l !== undefined && l !== null && l !== '')
            labels.push({axis: id, text: String(l)});
        }
      }
      const legend = chart.legend && chart.legend.options.display !== false ? chart.legend : null;
      for (const item of (legend && legend.legendItems) || []) {
        labels.push({axis: 'legend', text: String(item.text)});
      }
      out.charts.push({id: canvas.id || where(canvas), labels});
    }
  }
  for (const a of document.querySelectorAll('a[href]:not([download])')) {
    out.links.push({href: a.href, nav: !!a.closest('nav, header, .subnav'),
                    main: !!a.closest('main')});
  }
  out.title = document.title;
  return out;
}
"""

#: Waits (bounded) for htmx requests and charts started on load.
SETTLE_JS = r"""
() => !document.querySelector('.htmx-request, [aria-busy=true]')
  && [...document.querySelectorAll('canvas:not([aria-hidden=true])')].every(
       (c) => !window.Chart || window.Chart.getChart(c))
"""


def route_of(url: str) -> str:
    """The URL's route name (`goals:detail`), for grouping findings by page."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return urlsplit(url).path
    return match.view_name


def raw_key(text: str, keys: re.Pattern[str]) -> str | None:
    """The enumeration key `text` shows, if it shows one: a key no word is (`walk_in`, `p90`,
    `lang:fa`) anywhere; another key (`phone`, `returns`) beside words of another script, or
    as all there is (`delivery`, `email / phone`) — not inside an English sentence, which is
    user-entered text (a goal titled "Raise chat satisfaction") or English left untranslated."""
    found = keys.findall(text)
    if not found:
        return None
    for key in found:
        if re.search(r"[_:0-9]", key):
            return key
    if re.search(r"[^\x00-\x7f]", re.sub(r"[\s\W\d_]+", "", text)):
        return found[0]
    if not keys.sub("", text).strip(" /,;·–—:()|+&"):
        return found[0]
    return None


def classify(
    data: dict[str, Any], locale: SweepLocale, user_strings: frozenset[str] = frozenset()
) -> list[tuple[str, str, str]]:
    """(kind, text, where) for everything wrong in what COLLECT_JS read from one page.

    `user_strings` are texts the organisation's people wrote (see `user_strings_of`): never
    "untranslated" even when a catalogue string reads the same.
    """
    found: list[tuple[str, str, str]] = []
    english = english_catalogue_strings(locale.language)
    keys = _key_pattern(locale.language)
    seen: set[tuple[str, str, str]] = set()

    def add(kind: str, text: str, where: str) -> None:
        item = (kind, text[:120], where)
        if item not in seen:
            seen.add(item)
            found.append(item)

    items = [(t["text"], t["exempt"], t["option"], t["where"]) for t in data["texts"]]
    items += [(a["text"], a["exempt"], False, f"{a['where']} @{a['attr']}") for a in data["attrs"]]
    option_codes: dict[str, list[str]] = {}
    for text, exempt, option, where in items:
        if text in user_strings:
            exempt = exempt or option  # an option cannot isolate it; elsewhere <bdi> must
        code_like = locale.right_to_left and CODE_LIKE.fullmatch(text)
        if not exempt and code_like and raw_key(text, keys) is None:
            if option:  # one finding per list (of time zones, say), not one per entry
                option_codes.setdefault(where, []).append(text)
            else:
                add("unmarked-code", text, where)
            continue
        if locale.native_digits and not exempt and LATIN_DIGIT.search(text):
            add("latin-digit", text, where)
        if locale.native_digits and not exempt and LATIN_PERCENT.search(text):
            add("percent-sign", text, where)
        if locale.native_digits and not exempt and LATIN_SEPARATOR.search(text):
            add("decimal-sign", text, where)
        if exempt:
            continue  # code, or user-entered text isolated in its own direction
        if text in english and text not in user_strings:
            add("untranslated", text, where)
            continue
        if (key := raw_key(text, keys)) is not None:
            add("raw-key", f"{key} ← {text}", where)
            continue
        # An option is a line of its own: a name in it needs no isolation.
        if not option and looks_english(text, locale):
            add("english-text", text, where)
    for where, codes in option_codes.items():
        more = f" and {len(codes) - 1} more options" if len(codes) > 1 else ""
        add("unmarked-code", f"{codes[0]}{more}", where)
    title = _normal(data.get("title", "").rsplit("·", 1)[0])
    if title in english and title not in user_strings:
        add("untranslated", title, "<title>")
    for chart in data["charts"]:
        for label in chart["labels"]:
            where = f"chart {chart['id']} {label['axis']}"
            if locale.native_digits and LATIN_DIGIT.search(label["text"]):
                add("latin-digit-chart", label["text"], where)
            if locale.native_digits and LATIN_PERCENT.search(label["text"]):
                add("percent-sign", label["text"], where)
            if locale.native_digits and LATIN_SEPARATOR.search(label["text"]):
                add("decimal-sign", label["text"], where)
            if (key := raw_key(label["text"], keys)) is not None:
                add("raw-key", f"{key} ← {label['text']}", where)
            elif label["text"] in english:
                add("untranslated", label["text"], where)
    for arrow in data["arrows"]:
        add(
            "arrow", f"{arrow['shows']} should be {arrow['wants']}: {arrow['text']}", arrow["where"]
        )
    if locale.calendar != "gregorian":
        for where in data["dateInputs"]:
            add("date-input", "input type=date", where)
    return found


def user_strings_of(org: Any) -> frozenset[str]:
    """Every text the organisation's people wrote (names, titles, descriptions, notes, vision…):
    the free-text fields of the organisation's own rows outside the interactions, and of the
    rows that hang from its goals."""
    from django.apps import apps
    from django.db import models

    found: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label in ("interactions", "contenttypes", "sessions", "auth"):
            continue
        names = {f.name for f in model._meta.get_fields()}
        if "organisation" in names:
            rows = model._default_manager.filter(organisation=org)
        elif "goal" in names:
            rows = model._default_manager.filter(goal__organisation=org)
        elif "agent" in names:
            rows = model._default_manager.filter(agent__organisation=org)
        else:
            continue
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        for values in rows.values_list(*text_fields) if text_fields else []:
            found.update(_normal(v) for v in values if isinstance(v, str) and v.strip())
    return frozenset(found)


def overflow_finding(data: dict[str, Any]) -> str | None:
    overflow = data.get("overflow")
    if not overflow:
        return None
    return (
        f"page {overflow['scrollWidth']}px wide in a {overflow['innerWidth']}px window; "
        + " | ".join(overflow["culprits"])
    )


# --- Which pages --------------------------------------------------------------------------------

#: Links never followed: they leave, download, or lead to an action (even if only a GET form).
NEVER = re.compile(
    r"/(signout|logout)/|\.csv$|\.ics$|\.xlsx$|/export|/feed/|/revoke/|/delete/|/remove/|/retry/"
    r"|/publish/|/decide/|/take/|/withdraw/|/offer/|/progress/|/active/|/done/|/confidence/"
    r"|/role/|^/api/|/static/|/media/|/admin/"
)
PER_ROUTE_SHAPE = 2
MAX_PAGES = 60


def page_shape(url: str) -> str:
    """What makes two addresses the same page for the sweep: the path with numbers as `N`
    (`/goals/N/`); its query (filters, page numbers) makes variants of that page."""
    parts = urlsplit(url)
    return re.sub(r"/\d+(?=/|$)", "/N", parts.path)


def followable(url: str, *, origin: str, slug: str) -> bool:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return False
    path = parts.path
    if NEVER.search(path) or "format=" in parts.query:
        return False
    return path.startswith(f"/o/{slug}/") or path.startswith("/account/")


class Crawl:
    """Navigation pages (closed under the navigation's own links) first, then one level of
    pages linked from their main content; each page shape at most twice, MAX_PAGES in all."""

    def __init__(self, *, origin: str, slug: str) -> None:
        self.origin = origin
        self.slug = slug
        self.nav: list[str] = []
        self.detail: list[str] = []
        self.seen_urls: set[str] = set()
        self.shapes: Counter[str] = Counter()
        self.visited = 0

    def offer(self, links: Iterable[dict[str, Any]], *, from_nav_page: bool) -> None:
        for link in links:
            url = link["href"].split("#", 1)[0]
            if url in self.seen_urls or not followable(url, origin=self.origin, slug=self.slug):
                continue
            if link["nav"]:
                queue = self.nav
            elif link["main"] and from_nav_page:
                queue = self.detail
            else:
                continue
            shape = page_shape(url)
            if self.shapes[shape] >= PER_ROUTE_SHAPE:
                continue
            self.shapes[shape] += 1
            self.seen_urls.add(url)
            queue.append(url)

    def next(self) -> tuple[str, bool] | None:
        if self.visited >= MAX_PAGES:
            return None
        self.visited += 1
        if self.nav:
            return self.nav.pop(0), True
        if self.detail:
            return self.detail.pop(0), False
        return None


def sweep_role(
    page: Any,
    *,
    live_url: str,
    locale: SweepLocale,
    role: str,
    user_strings: frozenset[str] = frozenset(),
    read_tabs: bool = True,
    shots: Path | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Visit every page `role` reaches; return (findings, pages visited).

    `read_tabs`: also read each panel of the tabs that load on click (the dashboard's
    breakdowns)."""
    start = f"{live_url}/o/{locale.slug}/"
    crawl = Crawl(origin=live_url, slug=locale.slug)
    crawl.seen_urls.add(start)
    crawl.nav.append(start)
    findings: list[dict[str, Any]] = []
    pages = 0
    while (step := crawl.next()) is not None:
        url, is_nav = step
        page_started = time.perf_counter()
        try:
            response = page.goto(url, wait_until="load")
        except PlaywrightError as error:  # a download or a dead link: noted, not read
            findings.append({"language": locale.language, "role": role, "kind": "http-error",
                             "url": url[len(live_url) :], "page": route_of(url),
                             "text": str(error).splitlines()[0], "where": ""})  # fmt: skip
            continue
        pages += 1
        VISITED.append(f"{role} {url[len(live_url) :]}")
        route = route_of(url)
        base = {"language": locale.language, "role": role, "url": url[len(live_url) :],
                "page": route}  # fmt: skip
        status = response.status if response is not None else 0
        if status >= 400:
            findings.append({**base, "kind": "http-error", "text": f"HTTP {status}", "where": ""})
            continue
        t0 = time.perf_counter()
        PROFILE["goto"] += t0 - page_started
        settle(page)
        t1 = time.perf_counter()
        PROFILE["settle"] += t1 - t0
        if shots is not None and role == "owner" and route in SHOT_ROUTES:
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=str(shots / f"sweep-{locale.language}-{route.replace(':', '-')}.png"),
                full_page=True,
            )
            t1 = time.perf_counter()
        data = page.evaluate(COLLECT_JS, True)
        t2 = time.perf_counter()
        PROFILE["collect"] += t2 - t1
        if (problem := overflow_finding(data)) is not None:
            findings.append({**base, "kind": "overflow", "text": problem, "where": "1280×900"})
        for kind, text, where in classify(data, locale, user_strings):
            findings.append({**base, "kind": kind, "text": text, "where": where})
        # Tabs that load their panel on click (the dashboard's breakdowns): each one read too.
        # Only for the first role: what a tab shows does not depend on the role.
        tabs = page.locator("[role=tab][hx-get]").all()[1:] if read_tabs else []
        for tab in tabs:
            tab.click()
            settle(page)
            tab_data = page.evaluate(COLLECT_JS, True)
            for kind, text, where in classify(tab_data, locale, user_strings):
                item = {**base, "kind": kind, "text": text, "where": where}
                if item not in findings:
                    findings.append(item)
        PROFILE["rest"] += time.perf_counter() - t2
        crawl.offer(data["links"], from_nav_page=is_nav)
        PAGE_SECONDS[route].append(time.perf_counter() - page_started)
    return findings, pages


PROFILE: Counter[str] = Counter()
#: "role address" of every page read (reported, to show what the sweep covers).
VISITED: list[str] = []
#: route → seconds each visit took (reported, to keep the sweep's time in check).
PAGE_SECONDS: defaultdict[str, list[float]] = defaultdict(list)

SHOT_ROUTES = {
    "metrics:dashboard",
    "metrics:interactions",
    "goals:list",
    "goals:detail",
    "goals:level",
    "scheduling:schedule_detail",
    "scheduling:my_shifts",
    "forecasting:run",
}
PHONE_PAGES = ("", "interactions/", "goals/", "planning/schedule/")


def settle(page: Any) -> None:
    # After three seconds the page is read as it is.
    try:
        page.wait_for_function(SETTLE_JS, timeout=3000, polling="raf")
    except PlaywrightError:
        PROFILE["timeout " + route_of(page.url)] += 1


def sweep_phone(page: Any, *, live_url: str, locale: SweepLocale, role: str) -> list[dict]:
    """Horizontal overflow of the main pages in a 390-pixel phone window."""
    findings = []
    for suffix in PHONE_PAGES:
        url = f"{live_url}/o/{locale.slug}/{suffix}"
        page.goto(url, wait_until="load")
        settle(page)
        data = page.evaluate(COLLECT_JS, False)
        if (problem := overflow_finding(data)) is not None:
            findings.append(
                {"language": locale.language, "role": role, "url": url[len(live_url) :],
                 "page": route_of(url), "kind": "overflow-phone", "text": problem,
                 "where": "390×844"}
            )  # fmt: skip
    return findings


# --- Reporting ----------------------------------------------------------------------------------


def spot_of(finding: dict[str, Any]) -> tuple[str, str, str]:
    """One wrong thing however many roles and pages of the same kind show it: (kind, page
    route, text with its numbers as #)."""
    text = re.sub(r"[0-9۰-۹٠-٩]+([.,٫٬][0-9۰-۹٠-٩]+)*", "#", finding["text"])
    if finding["kind"] in ("overflow", "overflow-phone"):
        text = ""
    return finding["kind"], finding["page"], text


def summary(findings: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts per kind: findings (each page and role) and spots (see `spot_of`)."""
    by_kind = Counter(f["kind"] for f in findings)
    spots = {spot_of(f) for f in findings}
    return {
        "findings": dict(sorted(by_kind.items())),
        "spots": dict(sorted(Counter(kind for kind, _p, _t in spots).items())),
    }


def slowest_routes(count: int = 8) -> dict[str, list[float]]:
    """The routes whose visits took longest in all: route → [visits, seconds in all]."""
    totals = sorted(PAGE_SECONDS.items(), key=lambda item: -sum(item[1]))[:count]
    return {route: [len(times), round(sum(times), 1)] for route, times in totals}


def report_write(path: Path, language: str, section: dict[str, Any]) -> None:
    """Add (or replace) one language's section in the JSON report and recount the totals."""
    report = json.loads(path.read_text()) if path.exists() else {}
    languages = report.get("languages", {})
    languages[language] = section
    totals: dict[str, Counter[str]] = {"findings": Counter(), "spots": Counter()}
    for part in languages.values():
        for measure in totals:
            totals[measure].update(part["counts"][measure])
    report = {
        "totals": {measure: dict(sorted(c.items())) for measure, c in totals.items()},
        "languages": languages,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1))


def readable(findings: list[dict[str, Any]], *, limit: int = 400) -> str:
    """Findings grouped by kind, then by text: where they are and for whom."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for f in findings:
        groups[(f["kind"], spot_of(f)[2] or f["text"])].append(f)
    lines = []
    for (kind, _text), items in sorted(groups.items())[:limit]:
        first = items[0]
        roles = sorted({i["role"] for i in items})
        pages = sorted({i["page"] for i in items})
        lines.append(
            f"[{kind}] {first['text']!r} — {first['language']} {','.join(roles)} on "
            f"{', '.join(pages[:4])}{' …' if len(pages) > 4 else ''} (e.g. {first['url']} "
            f"at {first['where']})"
        )
    return "\n".join(lines)


def findings_text(report: dict[str, Any], *, per_page: int = 25) -> str:
    """A report as text for the people fixing things: counts per kind and language, then each
    kind's distinct findings grouped by page (route), with an example address and element."""
    languages = report["languages"]
    kinds = sorted({k for part in languages.values() for k in part["counts"]["spots"]})
    lines = [
        "Counts: spots (distinct kind, page and text with numbers as #) / findings (per page "
        "and role)",
        f"{'kind':20} " + " ".join(f"{lang:>14}" for lang in languages) + f" {'total':>14}",
    ]
    for kind in kinds:
        cells = [
            f"{part['counts']['spots'].get(kind, 0)}/{part['counts']['findings'].get(kind, 0)}"
            for part in languages.values()
        ]
        total = f"{report['totals']['spots'].get(kind, 0)}/{report['totals']['findings'][kind]}"
        lines.append(f"{kind:20} " + " ".join(f"{c:>14}" for c in cells) + f" {total:>14}")
    visited = [
        f"{lang} {part['pages']} ({'/'.join(part['roles'])})" for lang, part in languages.items()
    ]
    lines.append("pages visited: " + ", ".join(visited))
    grouped: dict[str, dict[str, dict[str, list[dict[str, Any]]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    for part in languages.values():
        for f in part["findings"]:
            _kind, page, text = spot_of(f)
            grouped[f["kind"]][page][text or f["text"]].append(f)
    for kind in sorted(grouped, key=lambda k: -sum(len(t) for t in grouped[k].values())):
        pages = grouped[kind]
        lines += ["", f"=== {kind}: {sum(len(t) for t in pages.values())} spots ==="]
        for page in sorted(pages, key=lambda p: -len(pages[p])):
            texts = pages[page]
            lines.append(f"--- {page} ({len(texts)})")
            for _text, items in sorted(texts.items(), key=lambda t: -len(t[1]))[:per_page]:
                first = items[0]
                langs = ",".join(sorted({i["language"] for i in items}))
                roles = ",".join(sorted({i["role"] for i in items}))
                lines.append(
                    f"  {first['text'][:100]!r}  [{langs}; {roles}]  {first['url']}  "
                    f"@ {first['where'][-70:]}"
                )
            if len(texts) > per_page:
                lines.append(f"  … and {len(texts) - per_page} more")
    return "\n".join(lines) + "\n"
