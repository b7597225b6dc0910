/**
 * Display formatting. Locale is fixed to en-US for now so numbers look the same
 * for every member of a team; the currency comes from the backend's `meta:get`.
 */
const LOCALE = "en-US";
const DASH = "—";

const cache = new Map<string, Intl.NumberFormat>();
function numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let nf = cache.get(key);
  if (!nf) {
    nf = new Intl.NumberFormat(LOCALE, options);
    cache.set(key, nf);
  }
  return nf;
}

function safeCurrency(currency: string | null | undefined): string {
  const code = (currency ?? "").trim().toUpperCase();
  return /^[A-Z]{3}$/.test(code) ? code : "USD";
}

/** Compact money for dense tables: 120000 → "$120K", 1250000 → "$1.25M", 0 → "$0". */
export function formatMoneyCompact(value: number | null | undefined, currency = "USD"): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const code = safeCurrency(currency);
  return numberFormat(`compact:${code}`, {
    style: "currency",
    currency: code,
    notation: "compact",
    maximumSignificantDigits: 3,
  }).format(value);
}

/** Full money, whole units: 1250000 → "$1,250,000". */
export function formatMoney(value: number | null | undefined, currency = "USD"): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const code = safeCurrency(currency);
  return numberFormat(`full:${code}`, {
    style: "currency",
    currency: code,
    minimumFractionDigits: 0,
    maximumFractionDigits: 0,
  }).format(value);
}

/**
 * A price in its own currency: whole units when whole (1200 → "$1,200"), else with the
 * currency's minor units (9.5 EUR → "€9.50", 1234.5 JPY → "¥1,235"); null → "—".
 */
export function formatPrice(value: number | null | undefined, currency = "USD"): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  if (Number.isInteger(value)) return formatMoney(value, currency);
  const code = safeCurrency(currency);
  return numberFormat(`price:${code}`, { style: "currency", currency: code }).format(value);
}

/** 1234 → "1,234"; null → "—". */
export function formatInteger(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return numberFormat("int", { maximumFractionDigits: 0 }).format(value);
}

/**
 * A health score (0–100) as every view shows it: a whole number rounded half up, 43.5 → "44",
 * 43.49 → "43"; null → "—". The one rounding for scores, so the book, the account's header,
 * its health panel and the queue never show 43 and 44 for the same score.
 */
export function formatScore(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  // Math.round rounds halves up (towards +∞); `|| 0` turns −0 into 0.
  return String(Math.round(value) || 0);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** Parse the date part of an ISO date/datetime string as a UTC midnight timestamp. */
export function parseIsoDate(value: string | null | undefined): number | null {
  const m = value ? ISO_DATE.exec(value) : null;
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(t) ? null : t;
}

const dateFormat = new Intl.DateTimeFormat(LOCALE, {
  year: "numeric",
  month: "short",
  day: "numeric",
  timeZone: "UTC",
});

/** "2026-03-14" → "Mar 14, 2026"; null → "—". Dates are calendar dates, never shifted by time zone. */
export function formatDate(value: string | null | undefined): string {
  const t = parseIsoDate(value);
  return t === null ? DASH : dateFormat.format(t);
}

const DAY_MS = 86_400_000;

/** Whole days from `today` to `date` (both ISO dates); null when either is missing. */
export function daysBetween(today: string | null | undefined, date: string | null | undefined) {
  const a = parseIsoDate(today);
  const b = parseIsoDate(date);
  if (a === null || b === null) return null;
  return Math.round((b - a) / DAY_MS);
}

/** "in 45 d", "today", "12 d ago". */
export function formatRelativeDays(days: number | null): string {
  if (days === null) return "";
  if (days === 0) return "today";
  const n = formatInteger(Math.abs(days));
  return days > 0 ? `in ${n} d` : `${n} d ago`;
}

/** Today's date as YYYY-MM-DD in the browser's zone (fallback when meta is not loaded). */
export function localToday(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, "0");
  const d = String(now.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

/** "1–50 of 1,234" for a 1-based page. */
export function formatRange(page: number, pageSize: number, total: number): string {
  if (total <= 0) return "0 of 0";
  const start = Math.min((page - 1) * pageSize + 1, total + 1);
  const end = Math.min(page * pageSize, total);
  if (start > end) return `${formatInteger(total)} total`;
  return `${formatInteger(start)}–${formatInteger(end)} of ${formatInteger(total)}`;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * How long ago a timestamp was, for freshness columns: "just now", "12 min ago", "3 h ago"
 * (under two days), "5 d ago". Future times (clock skew) read "just now"; null → "Never".
 */
export function formatTimeAgo(value: string | null | undefined, now: number): string {
  if (!value) return "Never";
  const t = Date.parse(value);
  if (Number.isNaN(t)) return DASH;
  const age = now - t;
  if (age < MINUTE_MS) return "just now";
  if (age < HOUR_MS) return `${Math.floor(age / MINUTE_MS)} min ago`;
  if (age < 2 * DAY_MS) return `${Math.floor(age / HOUR_MS)} h ago`;
  return `${formatInteger(Math.floor(age / DAY_MS))} d ago`;
}

/** "2026-01-15T09:30:12.5+00:00" → "2026-01-15 09:30:12 UTC" (for tooltips); null → "". */
export function formatUtcDateTime(value: string | null | undefined): string {
  if (!value) return "";
  const t = Date.parse(value);
  if (Number.isNaN(t)) return "";
  return `${new Date(t).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();
const CLOCK_OPTIONS = {
  time: { hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  day: { month: "short", day: "numeric" },
  year: { year: "numeric" },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;
function clockFormat(kind: keyof typeof CLOCK_OPTIONS, timeZone: string | undefined) {
  const key = `${kind}:${timeZone ?? ""}`;
  let f = clockFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALE, { ...CLOCK_OPTIONS[kind], timeZone });
    clockFormats.set(key, f);
  }
  return f;
}

/**
 * A timestamp as the wall-clock time in the browser's zone (or `timeZone`): "08:12" on the
 * same day as `now`, else with its day, "Jan 14, 08:12" (and its year when another year,
 * "Dec 31, 2025, 23:50"); "" when missing or invalid.
 */
export function formatClockTime(
  value: string | null | undefined,
  { now = Date.now(), timeZone }: { now?: number; timeZone?: string } = {},
): string {
  if (!value) return "";
  const t = Date.parse(value);
  if (Number.isNaN(t)) return "";
  const time = clockFormat("time", timeZone).format(t);
  const day = clockFormat("day", timeZone);
  const year = clockFormat("year", timeZone);
  const sameYear = year.format(t) === year.format(now);
  if (sameYear && day.format(t) === day.format(now)) return time;
  return `${day.format(t)}${sameYear ? "" : `, ${year.format(t)}`}, ${time}`;
}

/** "frustrated_power_users" → "Frustrated power users". */
export function humanize(value: string | null | undefined): string {
  if (!value) return DASH;
  const s = value.replace(/[_-]+/g, " ").trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Calendar arithmetic on ISO dates: addDays("2026-01-31", 1) → "2026-02-01"; "" when invalid. */
export function addDays(date: string, days: number): string {
  const t = parseIsoDate(date);
  if (t === null) return "";
  return new Date(t + days * DAY_MS).toISOString().slice(0, 10);
}

/** Share as a percentage: 0.5 → "50%", 0.0123 → "1.2%"; null → "—". */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return numberFormat(`pct:${digits}`, {
    style: "percent",
    maximumFractionDigits: digits,
  }).format(value);
}

/** A plain number with at most `digits` decimals: 0.35 → "0.35", 11.8171 → "11.82". */
export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return numberFormat(`num:${digits}`, { maximumFractionDigits: digits }).format(value);
}

/** A signed number for deltas, with a real minus sign: -2.2 → "−2.2", 3 → "+3", 0 → "0". */
export function formatSigned(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const factor = 10 ** digits;
  const rounded = Math.round(value * factor) / factor;
  if (rounded === 0) return "0";
  const text = formatNumber(Math.abs(rounded), digits);
  return rounded > 0 ? `+${text}` : `\u2212${text}`;
}

export const NO_DATA = "no data";

const LEVELS = ["negative", "neutral", "positive"] as const;

/**
 * A sub-metric's raw value in its unit (see the scoring definitions): per_seat "11.8 / seat",
 * fraction "50%", minutes "86 min", count "2", days "11 d", ratio "1.35×", score "9.3",
 * level -1/0/1 "negative"/"neutral"/"positive". null → "no data".
 */
export function formatMetric(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_DATA;
  switch (unit) {
    case "per_seat":
      return `${formatNumber(value, 1)} / seat`;
    case "fraction":
      return formatPercent(value, 1);
    case "minutes":
      return `${formatNumber(value, 0)} min`;
    case "count":
      return formatNumber(value, 1);
    case "days":
      return `${formatNumber(value, 0)} d`;
    case "ratio":
      return `${formatNumber(value, 2)}\u00d7`;
    case "score":
      return formatNumber(value, 1);
    case "level": {
      const index = Math.max(-1, Math.min(1, Math.round(value))) + 1;
      return LEVELS[index] ?? formatNumber(value, 2);
    }
    default:
      return formatNumber(value, 2);
  }
}

export { DASH };
