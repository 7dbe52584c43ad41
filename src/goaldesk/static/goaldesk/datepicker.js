// A month grid beside every date box (core/forms.py's CalendarDateInput), in the reader's
// calendar (Gregorian, Jalali or Hijri Umm al-Qura), digits and direction.
//
// Progressive enhancement: the box is a text box that takes typed dates on its own; this adds a
// button that opens the grid, and shows the box's quick choices (presets). Jalali and Hijri
// months come from calendar-data.js, generated from the server's calendar engine, so both draw
// the same months. The picked day is written as the server writes it: year/month/day in the
// reader's calendar and digits (Gregorian: year-month-day).
(() => {
  "use strict";

  const DAY_MS = 86400000;
  const PERSIAN = "۰۱۲۳۴۵۶۷۸۹";
  const ARABIC = "٠١٢٣٤٥٦٧٨٩";
  // The days GoalDesk accepts (core.parsing.EARLIEST_DAY..LATEST_DAY).
  const FIRST_DAY = isoDays("1900-01-01");
  const LAST_DAY = isoDays("2100-12-31");

  function isoDays(iso) {
    const [y, m, d] = iso.split("-").map(Number);
    return Date.UTC(y, m - 1, d) / DAY_MS;
  }

  // Digits as the server writes them for this locale (engine/digits.py's localize_digits).
  function localize(text, locale) {
    const set = locale.startsWith("fa") ? PERSIAN : locale.endsWith("-u-nu-arab") ? ARABIC : null;
    return set ? String(text).replace(/[0-9]/g, (d) => set[d]) : String(text);
  }

  function asciiDigits(text) {
    return text.replace(/[۰-۹٠-٩]/g, (c) => String(PERSIAN.includes(c) ? PERSIAN.indexOf(c) : ARABIC.indexOf(c)));
  }

  const pad = (n, width) => String(n).padStart(width, "0");
  const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  const esc = (text) => String(text ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);

  // --- calendars: (year, month, day) <-> day number (days since 1970-01-01) ---------------------

  const gregorian = {
    first: FIRST_DAY,
    last: LAST_DAY,
    toDays: (y, m, d) => (d >= 1 && d <= gregorian.monthLength(y, m) ? Date.UTC(y, m - 1, d) / DAY_MS : null),
    fromDays(n) {
      const t = new Date(n * DAY_MS);
      return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
    },
    monthLength: (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate(),
  };

  const tabled = {};

  // A Jalali or Hijri calendar read from calendar-data.js: month lengths from a first day.
  function tableCalendar(name) {
    if (tabled[name]) return tabled[name];
    const data = (window.GoalDeskCalendars || {})[name];
    if (!data) return null;
    const starts = [];
    let day = isoDays(data.firstDay);
    for (const ch of data.lengths) {
      starts.push(day);
      day += Number(ch) + 28;
    }
    starts.push(day);
    const count = data.lengths.length;
    const index = (y, m) => (y - data.firstYear) * 12 + (m - 1);
    const calendar = {
      first: Math.max(starts[0], FIRST_DAY),
      last: Math.min(starts[count] - 1, LAST_DAY),
      monthLength(y, m) {
        const i = index(y, m);
        return i >= 0 && i < count ? Number(data.lengths[i]) + 28 : 0;
      },
      toDays(y, m, d) {
        if (m < 1 || m > 12 || d < 1 || d > calendar.monthLength(y, m)) return null;
        return starts[index(y, m)] + d - 1;
      },
      fromDays(n) {
        let low = 0;
        let high = count - 1;
        while (low < high) {
          const mid = Math.ceil((low + high) / 2);
          if (starts[mid] <= n) low = mid;
          else high = mid - 1;
        }
        return [data.firstYear + Math.floor(low / 12), (low % 12) + 1, n - starts[low] + 1];
      },
    };
    tabled[name] = calendar;
    return calendar;
  }

  function calendarOf(name) {
    return name === "gregorian" ? gregorian : tableCalendar(name);
  }

  // The day a box's text names, as core.parsing reads it: year/month/day with "-", "/" or "."
  // between, any digits; a year before 1700 in the local calendar (Hijri for a Hijri reader,
  // else Jalali). Null when it names none.
  function readDay(text, displayCalendar) {
    const match = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/.exec(asciiDigits(text.trim()));
    if (!match) return null;
    const [y, m, d] = [Number(match[1]), Number(match[3]), Number(match[4])];
    const calendar = y < 1700 ? calendarOf(displayCalendar === "hijri" ? "hijri" : "jalali") : gregorian;
    return calendar ? calendar.toDays(y, m, d) : null;
  }

  // --- the picker -------------------------------------------------------------------------------

  let openPicker = null;
  let serial = 0;

  function json(element, name, fallback) {
    try {
      return JSON.parse(element.dataset[name] || "");
    } catch {
      return fallback;
    }
  }

  class Picker {
    constructor(box) {
      this.box = box;
      this.input = box.querySelector("input");
      this.field = box.querySelector(".datepicker-field") || box;
      this.name = box.dataset.calendar || "gregorian";
      this.calendar = calendarOf(this.name);
      this.locale = box.dataset.locale || "en";
      this.weekStart = Number(box.dataset.weekStart) || 1;
      this.today = isoDays(box.dataset.today);
      this.months = json(box, "months", []);
      this.weekdays = json(box, "weekdays", []);
      this.heads = json(box, "weekdayHeads", this.weekdays);
      this.labels = json(box, "labels", {});
      this.id = `datepicker-${++serial}`;
      this.focus = null;
      this.pop = null;

      this.toggle = document.createElement("button");
      this.toggle.type = "button";
      this.toggle.className = "datepicker-toggle";
      this.toggle.setAttribute("aria-haspopup", "dialog");
      this.toggle.setAttribute("aria-expanded", "false");
      this.toggle.setAttribute("aria-controls", this.id);
      this.toggle.setAttribute("aria-label", this.labels.open || "Choose a date");
      this.toggle.title = this.labels.open || "";
      this.toggle.innerHTML =
        '<svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false">' +
        '<rect x="2.5" y="4" width="15" height="13.5" rx="2" fill="none" stroke="currentColor" stroke-width="1.6"/>' +
        '<path d="M2.5 8h15M6.5 2.5v3M13.5 2.5v3" stroke="currentColor" stroke-width="1.6"/></svg>';
      this.input.after(this.toggle);
      this.toggle.addEventListener("click", () => (this.pop ? this.close(true) : this.open()));

      for (const preset of box.querySelectorAll(".date-preset")) {
        preset.hidden = false;
        preset.addEventListener("click", () => this.write(preset.dataset.value));
      }
    }

    clamp(n) {
      return Math.min(Math.max(n, this.calendar.first), this.calendar.last);
    }

    open() {
      if (openPicker) openPicker.close(false);
      const typed = readDay(this.input.value, this.name);
      this.selected = typed;
      this.focus = this.clamp(typed ?? this.today);
      this.pop = document.createElement("div");
      this.pop.className = "datepicker-pop";
      this.pop.id = this.id;
      this.pop.setAttribute("role", "dialog");
      this.pop.setAttribute("aria-modal", "true");
      this.pop.setAttribute("aria-label", this.labels.open || "");
      this.pop.addEventListener("keydown", (event) => this.onKey(event));
      this.pop.addEventListener("click", (event) => this.onClick(event));
      this.field.append(this.pop);
      this.toggle.setAttribute("aria-expanded", "true");
      openPicker = this;
      this.render(true);
    }

    close(returnFocus) {
      if (!this.pop) return;
      this.pop.remove();
      this.pop = null;
      this.toggle.setAttribute("aria-expanded", "false");
      if (openPicker === this) openPicker = null;
      if (returnFocus) this.toggle.focus();
    }

    // "11 Azar 1405" (and "هـ"/"AH" after a Hijri year), as engine.format_date writes it long.
    fullDate(y, m, d) {
      let text = `${d} ${this.months[m - 1] || m} ${y}`;
      if (this.name === "hijri") text += /^(ar|fa)/.test(this.locale) ? " هـ" : " AH";
      return localize(text, this.locale);
    }

    // The text the server would put in the box for day number n.
    format(n) {
      const [y, m, d] = this.calendar.fromDays(n);
      const sep = this.name === "gregorian" ? "-" : "/";
      return localize(`${pad(y, 4)}${sep}${pad(m, 2)}${sep}${pad(d, 2)}`, this.locale);
    }

    write(text) {
      this.input.value = text;
      this.input.dispatchEvent(new Event("input", { bubbles: true }));
      this.input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    // ISO weekday (1 = Monday … 7 = Sunday) of day number n.
    static isoWeekday(n) {
      return ((new Date(n * DAY_MS).getUTCDay() + 6) % 7) + 1;
    }

    column(n) {
      return (Picker.isoWeekday(n) - this.weekStart + 7) % 7;
    }

    button(action, label, text) {
      const name = esc(label);
    return `<button type="button" class="dp-nav" data-action="${action}" aria-label="${name}" title="${name}">${text}</button>`;
    }

    render(moveFocus) {
      const cal = this.calendar;
      const [y, m] = cal.fromDays(this.focus);
      const first = cal.toDays(y, m, 1);
      const length = cal.monthLength(y, m);
      const titleId = `${this.id}-title`;
      const l = this.labels;
      let html =
        '<div class="dp-head">' +
        this.button("-12", l.previous_year || "", '<span class="flip">«</span>') +
        this.button("-1", l.previous_month || "", '<span class="flip">‹</span>') +
        `<h2 class="dp-title" id="${titleId}" aria-live="polite">${esc(localize(`${this.months[m - 1] || m} ${y}`, this.locale))}</h2>` +
        this.button("1", l.next_month || "", '<span class="flip">›</span>') +
        this.button("12", l.next_year || "", '<span class="flip">»</span>') +
        `</div><table role="grid" aria-labelledby="${titleId}"><thead><tr>`;
      for (let c = 0; c < 7; c++) {
        const iso = ((this.weekStart - 1 + c) % 7) + 1;
        const day = esc(this.weekdays[iso - 1]);
        html += `<th scope="col" abbr="${day}"><span aria-hidden="true">${esc(this.heads[iso - 1])}</span><span class="visually-hidden">${day}</span></th>`;
      }
      html += "</tr></thead><tbody><tr>";
      const lead = this.column(first);
      for (let c = 0; c < lead; c++) html += '<td role="gridcell"></td>';
      for (let d = 1; d <= length; d++) {
        const n = first + d - 1;
        const col = (lead + d - 1) % 7;
        if (d > 1 && col === 0) html += "</tr><tr>";
        if (n < cal.first || n > cal.last) {
          html += '<td role="gridcell"></td>';
          continue;
        }
        const classes = ["dp-day"];
        if (n === this.today) classes.push("dp-today");
        html +=
          `<td role="gridcell" class="${classes.join(" ")}" data-day="${n}" tabindex="${n === this.focus ? 0 : -1}"` +
          ` aria-selected="${n === this.selected}" aria-label="${esc(this.fullDate(y, m, d))}"` +
          `${n === this.today ? ' aria-current="date"' : ""}>${localize(d, this.locale)}</td>`;
      }
      const trail = (7 - ((lead + length) % 7)) % 7;
      for (let c = 0; c < trail; c++) html += '<td role="gridcell"></td>';
      html +=
        '</tr></tbody></table><div class="dp-foot">' +
        `<button type="button" class="secondary" data-action="today">${esc(l.today || "Today")}</button>` +
        `<button type="button" class="secondary" data-action="close">${esc(l.close || "Close")}</button></div>`;
      this.pop.innerHTML = html;
      if (moveFocus) this.pop.querySelector('td[tabindex="0"]')?.focus();
    }

    moveTo(n) {
      this.focus = this.clamp(n);
      this.render(true);
    }

    moveMonths(delta) {
      const [y, m, d] = this.calendar.fromDays(this.focus);
      const index = y * 12 + (m - 1) + delta;
      const ny = Math.floor(index / 12);
      const nm = (index % 12) + 1;
      const length = this.calendar.monthLength(ny, nm);
      if (!length) return this.moveTo(delta < 0 ? this.calendar.first : this.calendar.last);
      return this.moveTo(this.calendar.toDays(ny, nm, Math.min(d, length)));
    }

    pick(n) {
      this.write(this.format(n));
      this.close(false);
      this.input.focus();
    }

    onClick(event) {
      const target = event.target.closest("[data-action], td[data-day]");
      if (!target) return;
      if (target.dataset.day) return this.pick(Number(target.dataset.day));
      const action = target.dataset.action;
      if (action === "close") return this.close(true);
      if (action === "today") return this.moveTo(this.today);
      this.moveMonths(Number(action));
      this.pop.querySelector(`[data-action="${action}"]`)?.focus();
    }

    onKey(event) {
      if (event.key === "Escape") {
        event.preventDefault();
        return this.close(true);
      }
      if (event.key === "Tab") return this.trapTab(event);
      if (!event.target.matches("td[data-day]")) return;
      const rtl = getComputedStyle(this.pop).direction === "rtl";
      const n = this.focus;
      const moves = {
        ArrowLeft: rtl ? 1 : -1,
        ArrowRight: rtl ? -1 : 1,
        ArrowUp: -7,
        ArrowDown: 7,
        Home: -this.column(n),
        End: 6 - this.column(n),
      };
      if (event.key in moves) {
        this.moveTo(n + moves[event.key]);
      } else if (event.key === "PageUp" || event.key === "PageDown") {
        this.moveMonths((event.key === "PageUp" ? -1 : 1) * (event.shiftKey ? 12 : 1));
      } else if (event.key === "Enter" || event.key === " ") {
        this.pick(n);
      } else {
        return;
      }
      event.preventDefault();
    }

    // The dialog keeps the focus while it is open (Escape or Close leaves it).
    trapTab(event) {
      const stops = [...this.pop.querySelectorAll('button, td[tabindex="0"]')];
      const at = stops.indexOf(document.activeElement);
      const next = event.shiftKey ? (at <= 0 ? stops.length - 1 : at - 1) : (at + 1) % stops.length;
      event.preventDefault();
      stops[next].focus();
    }
  }

  function enhance(root) {
    for (const box of root.querySelectorAll(".datepicker:not([data-ready])")) {
      box.dataset.ready = "";
      const input = box.querySelector("input");
      if (!input || !calendarOf(box.dataset.calendar || "gregorian")) continue;
      box.picker = new Picker(box);
    }
  }

  // In a filter form with a choice of period (dashboard, interactions), a date typed or picked
  // in a date box means a period of one's own: the "custom" choice.
  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.closest(".datepicker") || !input.form) return;
    const period = input.form.elements.namedItem("period");
    if (period instanceof HTMLSelectElement) {
      if ([...period.options].some((option) => option.value === "custom")) period.value = "custom";
    } else if (period instanceof RadioNodeList) {
      for (const radio of period) if (radio.value === "custom") radio.checked = true;
    }
  });

  document.addEventListener("mousedown", (event) => {
    if (openPicker && !openPicker.box.contains(event.target)) openPicker.close(false);
  });
  // Pieces of pages that htmx swaps in bring their own date boxes.
  document.addEventListener("htmx:load", (event) => enhance(event.target));
  enhance(document);

  // For tests that hold the script's calendars against the server's: (year, month, day) of an
  // ISO date in a calendar, and back.
  window.GoalDeskDatepicker = {
    toCalendar: (name, iso) => calendarOf(name)?.fromDays(isoDays(iso)) ?? null,
    fromCalendar(name, y, m, d) {
      const n = calendarOf(name)?.toDays(y, m, d);
      return n == null ? null : new Date(n * DAY_MS).toISOString().slice(0, 10);
    },
  };
})();
