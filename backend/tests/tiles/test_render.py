"""The tile as SVG and as the iframe's document: data escaped, the JSON block unable to end its
script, the SVG well-formed with one polyline point per measured day, themes that differ and
only valid theme values in the output."""

from __future__ import annotations

import json
import re
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from pydantic import ValidationError

from app.tiles.render import html_document, sparkline, svg
from app.tiles.schemas import Theme, Tile, TileAccount, TileKind, TrendPoint

SVG_NS = "{http://www.w3.org/2000/svg}"
ACCOUNT_ID = uuid.UUID("0b6a1f9e-8d0c-4a53-9d55-3f1f4a2b7c10")
HOSTILE = '<script>alert("x")</script> & "quoted"'


def make_tile(**changes: object) -> Tile:
    values: dict[str, object] = {
        "kind": TileKind.health,
        "account": TileAccount(id=ACCOUNT_ID, name="Acme Corp"),
        "title": "Health",
        "value": 72.0,
        "display": "72",
        "unit": "score",
        "band": "watch",
        "color": "#e0a21b",
        "trend": [TrendPoint(date=date(2026, 11, 1) + timedelta(days=i), value=60.0 + i) for i in range(7)],
        "reason": "Logins per seat fell 18% in 30 days",
        "computed_at": datetime(2026, 12, 5, 9, 30, tzinfo=UTC),
        "link": "https://tempo.example/accounts/0b6a1f9e-8d0c-4a53-9d55-3f1f4a2b7c10",
    }
    values.update(changes)
    return Tile.model_validate(values)


def document(tile: Tile | None, theme: Theme | None = None, **kwargs: object) -> str:
    return html_document(tile, theme or Theme(), kind=TileKind.health, account_id=ACCOUNT_ID, **kwargs)  # type: ignore[arg-type]


def parse_svg(text: str) -> ET.Element:
    return ET.fromstring(text)  # noqa: S314 - our own output, parsed to prove it is well-formed


def polyline_points(text: str) -> list[str]:
    root = parse_svg(text)
    lines = root.findall(f".//{SVG_NS}polyline")
    assert len(lines) <= 1
    return lines[0].attrib["points"].split() if lines else []


class Elements(HTMLParser):
    """Every start tag of an HTML document with its attributes, and the text of script blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def parse(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    parser.close()
    return parser


# ---- escaping ------------------------------------------------------------------------------


def test_svg_escapes_every_text_from_the_data() -> None:
    tile = make_tile(
        title=HOSTILE, reason=HOSTILE, display='"9"<b>', unit="<u>", account=TileAccount(id=ACCOUNT_ID, name=HOSTILE)
    )
    out = svg(tile, Theme())
    assert "<script" not in out
    assert "<b>" not in out and "<u>" not in out
    assert "&lt;script&gt;" in out
    assert "&#34;" in out or "&quot;" in out
    root = parse_svg(out)  # well-formed despite the quotes and brackets
    assert root.find(f"{SVG_NS}script") is None
    texts = "".join(root.itertext())
    assert '<script>alert("x")' in texts  # the data reads back as the text it was


def test_html_escapes_the_no_script_view() -> None:
    tile = make_tile(title=HOSTILE, reason=HOSTILE, account=TileAccount(id=ACCOUNT_ID, name=HOSTILE))
    page = document(tile)
    parsed = parse(page)
    assert [attrs.get("src") for tag, attrs in parsed.tags if tag == "script"] == ["/embed/static/tile.js", None]
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;quoted&#34;" in page
    assert '<script>alert("x")' not in page


def test_json_block_cannot_end_its_script() -> None:
    tile = make_tile(reason="</script><script>alert(1)</script><!-- & -->")
    page = document(tile)
    block = re.search(r'<script type="application/json" id="tempo-tile-data">(.*?)</script>', page, re.S)
    assert block is not None
    data = block.group(1)
    assert "</" not in data and "<" not in data and "<!--" not in data
    assert page.count("</script>") == 2  # tile.js's and the data block's own
    assert json.loads(data)["reason"] == "</script><script>alert(1)</script><!-- & -->"
    assert Tile.model_validate_json(data) == tile


def test_shell_has_no_data_block_and_names_what_to_fetch() -> None:
    page = document(None, origins=["https://host.example", "http://127.0.0.1:9100"])
    assert 'id="tempo-tile-data"' not in page
    html = next(attrs for tag, attrs in parse(page).tags if tag == "html")
    assert html["data-kind"] == "health"
    assert html["data-account"] == str(ACCOUNT_ID)
    assert html["data-origins"] == "https://host.example http://127.0.0.1:9100"
    assert html["data-state"] == "loading"


def test_document_has_no_inline_script_or_style() -> None:
    page = document(make_tile(), Theme(theme="dark", accent="#ff8800", radius=12, background="#101010"))
    parsed = parse(page)
    assert page.startswith("<!doctype html>")
    assert ("link", {"rel": "stylesheet", "href": "/embed/static/tile.css"}) in parsed.tags
    assert ("script", {"src": "/embed/static/tile.js", "defer": None}) in parsed.tags
    for tag, attrs in parsed.tags:
        assert "style" not in attrs, tag
        assert tag != "style"
        assert not any(name.startswith("on") for name in attrs), tag
        if tag == "script":
            assert attrs.get("src") or attrs.get("type") == "application/json"


def test_static_prefix_is_used() -> None:
    page = html_document(
        None, Theme(), kind=TileKind.renewal, account_id=ACCOUNT_ID, static_prefix="/tempo/embed/static/"
    )
    assert 'href="/tempo/embed/static/tile.css"' in page
    assert 'src="/tempo/embed/static/tile.js"' in page
    assert 'data-kind="renewal"' in page


def test_a_link_that_is_not_http_is_left_out() -> None:
    page = document(make_tile(link="javascript:alert(1)"))
    assert "javascript:" not in page.split('id="tempo-tile-data"')[0]
    assert "Open in Tempo" not in page


# ---- the SVG ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "points"),
    [
        ([60.0, 61.0, None, 63.0, None, 58.0, 70.0], 5),
        ([10.0, 20.0], 2),
        ([50.0, 50.0, 50.0], 3),  # flat
        ([None, 42.0, None], 0),  # one value: a dot, no line
        ([None, None], 0),
        ([], 0),
    ],
)
def test_svg_parses_and_draws_one_point_per_measured_day(values: list[float | None], points: int) -> None:
    trend = [TrendPoint(date=date(2026, 11, 1) + timedelta(days=i), value=v) for i, v in enumerate(values)]
    out = svg(make_tile(trend=trend), Theme())
    root = parse_svg(out)
    assert root.tag == f"{SVG_NS}svg"
    assert (root.attrib["width"], root.attrib["height"]) == ("320", "120")
    assert len(polyline_points(out)) == points
    measured = sum(v is not None for v in values)
    dots = [c for c in root.iter(f"{SVG_NS}circle") if c.attrib.get("r") == "2.5"]
    assert len(dots) == (1 if measured else 0)


def test_sparkline_keeps_each_day_in_its_place() -> None:
    trend = [TrendPoint(date=date(2026, 11, 1) + timedelta(days=i), value=v) for i, v in enumerate([1.0, None, 3.0])]
    spark = sparkline(trend, 100, 20, pad=0)
    assert spark.points == [(0.0, 20.0), (100.0, 0.0)]
    flat = sparkline(trend[:1] * 3, 100, 20, pad=0)
    assert {y for _, y in flat.points} == {10.0}
    # A gap in the days is a longer segment: points sit at their dates, not their positions.
    gappy = [TrendPoint(date=date(2026, 11, 1) + timedelta(days=d), value=float(d)) for d in (0, 1, 10)]
    assert [x for x, _ in sparkline(gappy, 100, 20, pad=0).points] == [0.0, 10.0, 100.0]
    single = sparkline([TrendPoint(date=date(2026, 11, 1), value=5.0)], 100, 20, pad=0)
    assert single.points == [(50.0, 10.0)]


def test_svg_is_self_contained() -> None:
    out = svg(make_tile(), Theme(font="serif"))
    root = parse_svg(out)
    for element in root.iter():
        assert element.tag.split("}")[-1] not in {"script", "image", "a", "foreignObject", "use", "style"}
        for name in element.attrib:
            assert "href" not in name and not name.startswith("on")
    assert "url(" not in out and "http://" not in out.replace("http://www.w3.org/2000/svg", "")
    assert "Health · Acme Corp" in out
    assert "Computed 5 Dec 2026" in out
    assert "Georgia" in out


def _fills(text: str) -> set[str]:
    return {el.attrib["fill"] for el in parse_svg(text).iter() if "fill" in el.attrib}


def test_dark_colours_differ_from_light_and_auto_is_light() -> None:
    light = svg(make_tile(), Theme(theme="light"))
    dark = svg(make_tile(), Theme(theme="dark"))
    auto = svg(make_tile(), Theme(theme="auto"))
    assert _fills(light) != _fills(dark)
    assert auto == light
    background = parse_svg(dark).find(f"{SVG_NS}rect")
    assert background is not None and background.attrib["fill"] == "#111827"
    card = parse_svg(light).find(f"{SVG_NS}rect")
    assert card is not None and card.attrib["fill"] == "#ffffff"


def test_band_colour_and_theme_colours_are_used() -> None:
    out = svg(make_tile(color="#dc3b3b"), Theme(accent="#00aa55", background="#fafafa", radius=16))
    root = parse_svg(out)
    card = root.find(f"{SVG_NS}rect")
    assert card is not None and card.attrib["fill"] == "#fafafa" and card.attrib["rx"] == "16"
    assert "#dc3b3b" in _fills(out)
    line = root.find(f".//{SVG_NS}polyline")
    assert line is not None and line.attrib["stroke"] == "#00aa55"


# ---- theme values --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"accent": "red;}"},
        {"accent": "#fff"},
        {"accent": "#12345g"},
        {"background": "url(x)"},
        {"background": "#ffffff;color:red"},
        {"font": "Comic Sans"},
        {"radius": 25},
        {"radius": -1},
        {"theme": "blue"},
    ],
)
def test_theme_refuses_values_off_the_list(changes: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Theme(**changes)  # type: ignore[arg-type]


def test_accent_appears_only_when_valid() -> None:
    good = Theme(accent="#ff8800", background="#0a0b0c")
    assert "#ff8800" in svg(make_tile(), good)
    page = document(make_tile(), good)
    html = next(attrs for tag, attrs in parse(page).tags if tag == "html")
    assert html["data-accent"] == "#ff8800"
    assert html["data-background"] == "#0a0b0c"

    # A Theme built without validation still cannot carry anything else into the output.
    off_list: dict[str, object] = {
        "theme": "purple",
        "accent": "red;}",
        "font": "x'); }",
        "radius": 999,
        "background": "url(javascript:1)",
    }
    bad = Theme.model_construct(**off_list)  # type: ignore[arg-type]
    for out in (svg(make_tile(), bad), document(make_tile(), bad)):
        assert "red;}" not in out and "javascript" not in out and "purple" not in out and "999" not in out
        assert "x&#39;); }" not in out and "x'); }" not in out
    html = next(attrs for tag, attrs in parse(document(make_tile(), bad)).tags if tag == "html")
    assert "data-accent" not in html and "data-background" not in html
    assert (html["data-theme"], html["data-font"], html["data-radius"]) == ("auto", "system", "8")

    plain = document(make_tile(), Theme())
    assert "data-accent" not in plain and "data-background" not in plain


def test_origins_that_are_not_origins_are_dropped() -> None:
    page = document(None, origins=["https://ok.example", 'https://x.example" onload="x', "javascript:1"])
    html = next(attrs for tag, attrs in parse(page).tags if tag == "html")
    assert html["data-origins"] == "https://ok.example"
