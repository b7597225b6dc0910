"""Cell readings, footers and row checks, with exact expected outputs (no database)."""

from __future__ import annotations

import pytest

from app.imports.checks import check
from app.imports.footers import footer_start, is_footer_phrase
from app.imports.parsing import read_sheet
from app.imports.presets import PRESETS, detect, resolve_mapping
from app.imports.values import (
    OMIT,
    cell_value,
    choices,
    finish_item,
    merge_value_maps,
    normalise,
    parse_date,
    parse_number,
    parse_timestamp,
)
from app.ingest.schemas import Kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.56", "1234.56"),  # US
        ("1.234,56", "1234.56"),  # EU
        ("1 234,56", "1234.56"),  # French
        ("1\u00a0234,56", "1234.56"),  # ... with a no-break space
        ("1'234.56", "1234.56"),  # Swiss
        ("$1,200", "1200"),
        ("€ 1.200,00", "1200"),
        ("1.200,00 EUR", "1200"),
        ("USD 3,000", "3000"),
        ("(1,200.00)", "-1200"),  # accounting negative
        ("-$1,200.50", "-1200.50"),
        ("$-1,200", "-1200"),
        ("12.5%", "12.5"),  # the number as shown
        ("1,200", "1200"),  # a lone comma before three digits groups thousands
        ("1,5", "1.5"),  # any other lone comma is a decimal comma
        ("0,500", "0.500"),
        ("1.200", "1.200"),  # a lone dot is a decimal point
        ("1.234.567", "1234567"),
        ("1200.00", "1200"),  # zero fractions go, so counts read as integers
        ("00012", "12"),
        (".5", "0.5"),
        ("TBD", "TBD"),  # not a number: unchanged, validation names it
        ("1,2,3", "1,2,3"),
        ("5 Jan", "5 Jan"),
        ("  42 ", "42"),
    ],
)
def test_numbers(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-05", "2025-01-05"),
        ("2025/01/05", "2025-01-05"),
        ("05.01.2025", "2025-01-05"),
        ("20250105", "2025-01-05"),
        ("Jan 5, 2025", "2025-01-05"),
        ("January 5, 2025", "2025-01-05"),
        ("5 Jan 2025", "2025-01-05"),
        ("05-Jan-2025", "2025-01-05"),
        ("1/5/2025", "2025-01-05"),  # US order by default
        ("1/5/25", "2025-01-05"),
        ("12/3/2025 9:14 AM", "2025-12-03"),
        ("2025-01-05T23:30:00-05:00", "2025-01-05"),  # a timestamp keeps the date as written
        ("31/12/2024", "31/12/2024"),  # no 31st month: unchanged (set day_first)
        ("TBD", "TBD"),
    ],
)
def test_dates(text, expected):
    assert parse_date(text) == expected


def test_day_first_only_changes_ambiguous_slashes():
    assert (parse_date("03/04/2024"), parse_date("03/04/2024", day_first=True)) == ("2024-03-04", "2024-04-03")
    assert parse_date("31/12/2024", day_first=True) == "2024-12-31"
    assert parse_date("2024-03-04", day_first=True) == "2024-03-04"
    assert parse_timestamp("03/04/2024 10:00", day_first=True) == "2024-04-03T10:00:00+00:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-04 14:22:10 +0100", "2025-03-04T13:22:10+00:00"),  # Zendesk, zone after a space
        ("2025-03-04 14:22", "2025-03-04T14:22:00+00:00"),  # naive is UTC
        ("2025-03-04 23:30 -0500", "2025-03-05T04:30:00+00:00"),  # crosses midnight in UTC
        ("2025-01-05T10:00:00Z", "2025-01-05T10:00:00+00:00"),
        ("2025-03-04T14:22:10+01:00", "2025-03-04T13:22:10+00:00"),
        ("2025-03-04 14:22:10 UTC", "2025-03-04T14:22:10+00:00"),
        ("2023-07-28 3:00", "2023-07-28T03:00:00+00:00"),
        ("12/3/2025 9:14 AM", "2025-12-03T09:14:00+00:00"),
        ("12/3/2025 12:05 AM", "2025-12-03T00:05:00+00:00"),
        ("12/3/2025 9:14 PM", "2025-12-03T21:14:00+00:00"),
        ("Jan 5, 2025, 10:00 AM", "2025-01-05T10:00:00+00:00"),
        ("Tue, 04 Mar 2025 14:22:10 +0100", "2025-03-04T13:22:10+00:00"),
        ("2025-01-05", "2025-01-05T00:00:00+00:00"),
        ("13 PM", "13 PM"),
    ],
)
def test_timestamps(text, expected):
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("New", "open"),
        ("Open", "open"),
        ("Pending", "pending"),
        ("On-hold", "pending"),
        ("on hold", "pending"),
        ("Hold", "pending"),
        ("snoozed", "pending"),  # Intercom
        ("Solved", "solved"),  # Tempo keeps Zendesk's solved/closed distinction
        ("Resolved", "solved"),
        ("CLOSED", "closed"),
        ("Escalated", "Escalated"),  # unknown: validation names it
    ],
)
def test_ticket_status(text, expected):
    assert normalise(Kind.tickets, "status", text) == expected


def test_csat_words():
    read = [normalise(Kind.tickets, "csat", t) for t in ("Good", "bad", "GoodWithComment", "4", "4.0", "Offered")]
    assert read == [5, 1, 5, "4", "4", OMIT]
    assert normalise(Kind.tickets, "csat", "Unoffered") is OMIT
    assert normalise(Kind.tickets, "csat", "Not offered") is OMIT
    assert normalise(Kind.tickets, "csat", "meh") == "meh"


def test_other_enums_booleans_and_emails():
    assert normalise(Kind.invoices, "status", "Past Due") == "open"
    assert normalise(Kind.invoices, "status", "Cancelled") == "void"
    assert normalise(Kind.contacts, "role", "Executive Sponsor") == "executive_sponsor"
    assert normalise(Kind.contacts, "role", "DECISION_MAKER") == "decision_maker"
    assert normalise(Kind.touchpoints, "sentiment", "Happy") == "positive"
    assert normalise(Kind.surveys, "kind", "NPS") == "nps"
    assert [normalise(Kind.tickets, "escalated", t) for t in ("Yes", "x", "FALSE", "0", "maybe")] == [
        True,
        True,
        False,
        False,
        "maybe",
    ]
    assert normalise(Kind.contacts, "email", "Jane Doe <jane@acme.com>") == "jane@acme.com"
    assert normalise(Kind.accounts, "domains", "www.acme.com; acme.io acme.de") == [
        "www.acme.com",
        "acme.io",
        "acme.de",
    ]
    assert normalise(Kind.accounts, "name", "  Acme  ") == "  Acme  "  # text is the model's to strip
    assert normalise(Kind.accounts, "arr", "   ") is OMIT


def test_choices_for_the_value_editor():
    assert choices(Kind.tickets, "status") == ["open", "pending", "solved", "closed"]
    assert choices(Kind.tickets, "csat") == ["1", "2", "3", "4", "5"]
    assert choices(Kind.tickets, "escalated") == ["true", "false"]
    assert choices(Kind.subscriptions, "interval") == ["month", "year"]
    assert choices(Kind.accounts, "name") is None


@pytest.mark.parametrize(
    ("interval", "amount", "expected"),
    [
        ("month", "49", ("49", "month")),
        ("Monthly", "49", ("49", "month")),
        ("yearly", "4800", ("4800", "year")),
        ("annual", "4800", ("4800", "year")),
        ("week", "25", ("108.3333", "month")),  # 25 x 52 / 12
        ("weekly", "12", ("52", "month")),
        ("every 2 weeks", "100", ("216.6667", "month")),
        ("quarterly", "300", ("100", "month")),
        ("day", "1", ("30.4167", "month")),  # 365 / 12
        ("every 2 years", "9000", ("4500", "year")),
    ],
)
def test_subscription_intervals_are_priced_per_month_or_year(interval, amount, expected):
    item = {
        "unit_amount": parse_number(amount),
        "interval": normalise(Kind.subscriptions, "interval", interval),
    }
    finish_item(Kind.subscriptions, item)
    assert (item["unit_amount"], item["interval"]) == expected


def test_an_mrr_needs_no_interval():
    item = {"mrr": "100", "interval": normalise(Kind.subscriptions, "interval", "weekly")}
    finish_item(Kind.subscriptions, item)
    assert item == {"mrr": "100"}


def test_value_maps_match_case_insensitively_and_merge_over_presets():
    maps = merge_value_maps(
        {"status": {"Escalated": "open", "Hold": "pending"}, "csat": {"Great": 4}},
        {"status": {"  ESCALATED ": "pending"}, "industry": {"n/a": None}},
    )
    assert maps == {
        "status": {"escalated": "pending", "hold": "pending"},
        "csat": {"great": 4},
        "industry": {"n/a": None},
    }
    assert cell_value(Kind.tickets, "status", "escalated", False, maps) == "pending"
    assert cell_value(Kind.tickets, "csat", "GREAT", False, maps) == 4
    assert cell_value(Kind.tickets, "csat", "Good", False, maps) == 5  # built-in words still apply
    assert cell_value(Kind.accounts, "industry", "N/A", False, maps) is OMIT
    # a mapped target is read like a cell: "Solved" becomes "solved"
    assert cell_value(Kind.tickets, "status", "Done-ish", False, {"status": {"done-ish": "Solved"}}) == "solved"


def test_footer_phrases():
    footers = [
        "Grand Totals (42 records)",
        "Total",
        "Totals:",
        "Subtotal",
        "42 records",
        "Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved.",
        "Confidential Information - Do Not Distribute",
        "Generated By:  Jane Doe  12/3/2025 9:14 AM",
    ]
    assert all(is_footer_phrase(f) for f in footers)
    assert not any(is_footer_phrase(t) for t in ("Total Wine & More", "Acme Inc.", "Totally Awesome LLC"))


def test_a_sparse_last_data_row_is_not_a_footer():
    rows = [["A-1", "Acme", "acme.com"], ["A-2", "", ""]]
    # no blank line before it and no footer phrase: data (it is rejected for its missing name)
    assert footer_start(rows, [2, 3], [], 3) == 2
    # after a blank line, a lone cell is the organisation's name under a report
    assert footer_start(rows, [2, 4], [3], 3) == 1
    # a phrase starts a footer even without the blank line; lone rows before it stay data
    rows = [["A-1", "Acme", "acme.com"], ["A-2", "", ""], ["Grand Totals (2 records)", "", ""], ["Acme Inc.", "", ""]]
    assert footer_start(rows, [2, 3, 4, 5], [], 3) == 2
    # a one-column file has no lone-cell footers
    assert footer_start([["a"], ["b"]], [2, 4], [3], 1) == 2


def test_blank_lines_and_footer_are_listed_not_read():
    data = b"id,name\r\n1,A\r\n\r\n2,B\r\n\r\nTotal,\r\nAcme Inc.,\r\n\r\n\r\n"
    sheet = read_sheet("x.csv", data)
    assert [r["id"] for r in sheet.rows] == ["1", "2"]
    assert sheet.row_numbers == [2, 4]
    # trailing blank lines after the last filled row are not counted
    assert sheet.skipped == [
        (3, "blank line"),
        (5, "blank line"),
        (6, 'report footer: "Total"'),
        (7, 'report footer: "Acme Inc."'),
    ]


def test_bad_optional_values_are_left_out_with_a_warning():
    item = {"external_id": "A-1", "name": "Acme", "arr": "TBD", "domains": ["acme.com", "n/a"], "owner_email": "jane"}
    sources = {"arr": ("Annual Revenue", "TBD"), "domains": ("Website", "acme.com, n/a")}
    checked = check(Kind.accounts, item, sources)
    assert checked.model is not None and checked.errors == []
    assert checked.item == {"external_id": "A-1", "name": "Acme", "domains": ["acme.com"]}
    assert checked.warnings == [
        (
            "domains",
            'domains: "n/a" (column "Website") left out: \'n/a\' is not a domain name (expected e.g. acme.com)',
        ),
        ("owner_email", 'owner_email: "jane" left out: not an email address (expected name@domain.tld)'),
        ("arr", 'arr: "TBD" (column "Annual Revenue") left out: Input should be a valid decimal'),
    ]


def test_a_bad_required_value_rejects_the_row_with_every_error():
    checked = check(Kind.tickets, {"id": "T-1", "account": "A-1", "opened_at": "soon", "csat": "9"}, {})
    assert checked.model is None
    assert [(e.loc, e.msg) for e in checked.errors] == [
        (["opened_at"], "Input should be a valid datetime or date, input is too short"),
        (["csat"], "Input should be less than or equal to 5"),
    ]


def test_a_rule_across_fields_still_rejects():
    # the only price is bad: left out, the subscription then has no price at all
    checked = check(Kind.subscriptions, {"id": "S-1", "account": "A", "start_date": "2025-01-01", "mrr": "TBD"}, {})
    assert checked.model is None
    assert [e.loc for e in checked.errors] == [["mrr"], []]


def test_presets_resolve_alternatives_and_detect_headers():
    data_loader = ["ID", "NAME", "WEBSITE", "INDUSTRY", "BILLINGCOUNTRY", "ACCOUNTSOURCE", "CREATEDDATE"]
    assert detect(data_loader) is PRESETS["salesforce-accounts"]
    assert resolve_mapping(PRESETS["salesforce-accounts"], data_loader) == {
        "external_id": "ID",
        "name": "NAME",
        "domains": "WEBSITE",
        "industry": "INDUSTRY",
        "region": "BILLINGCOUNTRY",
        "acquisition_channel": "ACCOUNTSOURCE",
        "signup_date": "CREATEDDATE",
    }
    # a required column missing: no detection, and the mapping keeps the name to report it
    assert detect(["Account Name", "Website", "Industry"]) is None
    assert resolve_mapping(PRESETS["salesforce-accounts"], ["Account Name"]) == {
        "external_id": "Account ID",
        "name": "Account Name",
    }
    assert detect(["foo", "bar"]) is None
