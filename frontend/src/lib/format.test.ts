import { describe, expect, it } from "vitest";
import {
  addDays,
  daysBetween,
  formatClockTime,
  formatDate,
  formatMetric,
  formatMoney,
  formatMoneyCompact,
  formatPercent,
  formatPrice,
  formatRange,
  formatRelativeDays,
  formatScore,
  formatSigned,
  formatTimeAgo,
  formatUtcDateTime,
  humanize,
} from "./format";

describe("formatMoneyCompact", () => {
  it.each([
    [120000, "$120K"],
    [1250000, "$1.25M"],
    [0, "$0"],
    [999, "$999"],
    [1500, "$1.5K"],
    [123456, "$123K"],
    [999999, "$1M"],
    [2500000000, "$2.5B"],
    [-5000, "-$5K"],
  ])("%d → %s", (value, expected) => {
    expect(formatMoneyCompact(value, "USD")).toBe(expected);
  });

  it("uses the reporting currency", () => {
    expect(formatMoneyCompact(120000, "EUR")).toBe("€120K");
    expect(formatMoneyCompact(1250000, "GBP")).toBe("£1.25M");
  });

  it("falls back to USD for a malformed currency code", () => {
    expect(formatMoneyCompact(120000, "dollars")).toBe("$120K");
  });

  it("renders missing values as an em dash", () => {
    expect(formatMoneyCompact(null)).toBe("—");
    expect(formatMoneyCompact(undefined)).toBe("—");
    expect(formatMoneyCompact(Number.NaN)).toBe("—");
  });
});

describe("formatMoney", () => {
  it("shows the full value in whole units", () => {
    expect(formatMoney(1250000, "USD")).toBe("$1,250,000");
    expect(formatMoney(120000.6, "USD")).toBe("$120,001");
    expect(formatMoney(0, "USD")).toBe("$0");
  });
});

describe("formatPrice", () => {
  it("shows a price in its own currency, with minor units only when it has them", () => {
    expect(formatPrice(1200, "USD")).toBe("$1,200");
    expect(formatPrice(1000, "EUR")).toBe("€1,000");
    expect(formatPrice(9.5, "EUR")).toBe("€9.50");
    expect(formatPrice(1234.5, "JPY")).toBe("¥1,235");
    expect(formatPrice(null, "EUR")).toBe("—");
  });
});

describe("dates", () => {
  it("formats ISO dates without time-zone drift", () => {
    expect(formatDate("2026-03-01")).toBe("Mar 1, 2026");
    expect(formatDate("2026-03-01T23:30:00-08:00")).toBe("Mar 1, 2026");
    expect(formatDate(null)).toBe("—");
    expect(formatDate("not a date")).toBe("—");
  });

  it("counts days relative to the server's today", () => {
    expect(daysBetween("2026-01-15", "2026-03-01")).toBe(45);
    expect(formatRelativeDays(45)).toBe("in 45 d");
    expect(formatRelativeDays(0)).toBe("today");
    expect(formatRelativeDays(-12)).toBe("12 d ago");
    expect(formatRelativeDays(daysBetween("2026-01-15", null))).toBe("");
  });
});

describe("formatRange", () => {
  it("formats the visible slice", () => {
    expect(formatRange(1, 50, 1234)).toBe("1–50 of 1,234");
    expect(formatRange(25, 50, 1234)).toBe("1,201–1,234 of 1,234");
    expect(formatRange(1, 50, 2)).toBe("1–2 of 2");
    expect(formatRange(1, 50, 0)).toBe("0 of 0");
    expect(formatRange(9, 50, 20)).toBe("20 total");
  });
});

describe("humanize", () => {
  it("turns enum values into labels", () => {
    expect(humanize("frustrated_power_users")).toBe("Frustrated power users");
    expect(humanize(null)).toBe("—");
  });
});

describe("formatTimeAgo", () => {
  const now = Date.parse("2026-01-15T12:00:00Z");
  it.each([
    ["2026-01-15T11:59:30Z", "just now"],
    ["2026-01-15T12:05:00Z", "just now"],
    ["2026-01-15T11:59:00Z", "1 min ago"],
    ["2026-01-15T11:00:01Z", "59 min ago"],
    ["2026-01-15T09:00:00Z", "3 h ago"],
    ["2026-01-13T12:00:01Z", "47 h ago"],
    ["2026-01-13T12:00:00Z", "2 d ago"],
    ["2025-01-15T12:00:00Z", "365 d ago"],
  ])("%s → %s", (value, expected) => {
    expect(formatTimeAgo(value, now)).toBe(expected);
  });

  it("says Never without a timestamp and a dash for garbage", () => {
    expect(formatTimeAgo(null, now)).toBe("Never");
    expect(formatTimeAgo("soon", now)).toBe("—");
  });
});

describe("formatUtcDateTime", () => {
  it("shows the instant in UTC whatever the offset", () => {
    expect(formatUtcDateTime("2026-01-15T09:30:12.500+00:00")).toBe("2026-01-15 09:30:12 UTC");
    expect(formatUtcDateTime("2026-01-15T10:30:12+01:00")).toBe("2026-01-15 09:30:12 UTC");
    expect(formatUtcDateTime(null)).toBe("");
  });
});

describe("formatMetric", () => {
  it.each([
    [11.817, "per_seat", "11.8 / seat"],
    [0.5, "fraction", "50%"],
    [1, "fraction", "100%"],
    [-0.0117, "fraction", "-1.2%"],
    [85.83, "minutes", "86 min"],
    [2, "count", "2"],
    [11, "days", "11 d"],
    [1.3534, "ratio", "1.35×"],
    [9.333, "score", "9.3"],
    [-1, "level", "negative"],
    [0, "level", "neutral"],
    [1, "level", "positive"],
    [0.4, "level", "neutral"],
    [1234.567, "something_new", "1,234.57"],
  ])("%d %s → %s", (value, unit, expected) => {
    expect(formatMetric(value, unit)).toBe(expected);
  });

  it("says so when there is no data", () => {
    expect(formatMetric(null, "fraction")).toBe("no data");
    expect(formatMetric(undefined, "count")).toBe("no data");
  });
});

describe("formatSigned / formatPercent / addDays", () => {
  it("signs deltas with a real minus sign, zero unsigned", () => {
    expect(formatSigned(-2.21)).toBe("\u22122.2");
    expect(formatSigned(3)).toBe("+3");
    expect(formatSigned(0.04)).toBe("0");
    expect(formatSigned(null)).toBe("—");
  });

  it("formats shares", () => {
    expect(formatPercent(0.478, 0)).toBe("48%");
    expect(formatPercent(0.0123)).toBe("1.2%");
    expect(formatPercent(null)).toBe("—");
  });

  it("adds calendar days across months and years", () => {
    expect(addDays("2026-01-31", 1)).toBe("2026-02-01");
    expect(addDays("2026-01-15", -30)).toBe("2025-12-16");
    expect(addDays("nope", 1)).toBe("");
  });
});

describe("formatScore", () => {
  it.each([
    [43.5, "44"],
    [43.49, "43"],
    [43.51, "44"],
    [44.5, "45"],
    [42.5, "43"],
    [0.5, "1"],
    [0, "0"],
    [-0.2, "0"],
    [100, "100"],
    [82, "82"],
  ])("%d → %s (half up, whole number)", (value, expected) => {
    expect(formatScore(value)).toBe(expected);
  });

  it("renders a missing score as an em dash", () => {
    expect(formatScore(null)).toBe("—");
    expect(formatScore(undefined)).toBe("—");
    expect(formatScore(Number.NaN)).toBe("—");
  });
});

describe("formatClockTime", () => {
  const now = Date.parse("2026-01-15T12:00:00Z");
  it("shows the time of day, with the day when it is not today", () => {
    expect(formatClockTime("2026-01-15T08:12:40Z", { now, timeZone: "UTC" })).toBe("08:12");
    expect(formatClockTime("2026-01-15T08:12:40+01:00", { now, timeZone: "UTC" })).toBe("07:12");
    expect(formatClockTime("2026-01-14T23:05:00Z", { now, timeZone: "UTC" })).toBe("Jan 14, 23:05");
    expect(formatClockTime("2025-12-31T23:50:00Z", { now, timeZone: "UTC" })).toBe(
      "Dec 31, 2025, 23:50",
    );
  });

  it("is empty without a valid timestamp", () => {
    expect(formatClockTime(null)).toBe("");
    expect(formatClockTime("soon")).toBe("");
  });
});
