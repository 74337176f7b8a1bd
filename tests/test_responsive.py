"""The public pages on a phone (375 px, touch) and a desktop (1280 px), in both languages:
nothing wider than the screen, chart labels that do not overlap, no plotly toolbar on touch.

Each page is loaded once per width and language, in one browser against one live server for
the module, and measured in the page (the JavaScript below); the three checks then read those
measurements, so each failure names its page, width, language and the elements at fault.

The live server serves the tests' small casebook; CSR_RESPONSIVE_DATA=curated serves the
curated fixtures instead (slower; the data readers see).
"""

import os

import pytest

# django_db so that pytest-django sets up the test database even when this module runs alone;
# the data itself is loaded once, by the module's `server` fixture.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PAGES = {
    "home": "/",
    "list": "/cases/",
    "case": "/cases/douyin-xunren/",
    "compare": "/compare/?company=tencent&company=alibaba&company=meituan",
    "explorer": "/metrics/",
    "index": "/index/",
    "search": "/search/?q=%E8%85%BE%E8%AE%AF",
}
WIDTHS = [375, 1280]
LANGUAGES = ["zh", "en"]
VIEWS = [
    pytest.param(name, width, language, id=f"{name}-{width}-{language}")
    for name in PAGES
    for width in WIDTHS
    for language in LANGUAGES
]
# How far (CSS px) two labels may overlap, or a label leave its chart, before it counts:
# anti-aliasing and glyph boxes that include the font's line gap.
TOLERANCE = 2
CHART_TIMEOUT_MS = 10_000

# Shared by the three measurements: a short, recognisable name for an element.
DESCRIBE_JS = """
() => { window.__describe = (element) => {
  const name = (node) => {
    let text = node.tagName.toLowerCase();
    if (node.id) return `${text}#${node.id}`;
    const classes = typeof node.className === "string" ? node.className : node.className?.baseVal;
    if (classes && classes.trim()) text += "." + classes.trim().split(/\\s+/).slice(0, 2).join(".");
    return text;
  };
  const trail = [];
  for (let node = element; node && node !== document.body && trail.length < 4;
       node = node.parentElement) {
    trail.unshift(name(node));
    if (node.id) break;
  }
  const words = (element.textContent || "").trim().replace(/\\s+/g, " ");
  return trail.join(" > ") + (words ? ` "${words.slice(0, 40)}"` : "");
}; }
"""

# Waits until every visible chart has been drawn (plotly adds svg.main-svg), scrolling each into
# view in case charts are drawn only when they come near the screen, and until the labels stop
# moving. Returns the charts that were never drawn.
WAIT_FOR_CHARTS_JS = """
async (timeout) => {
  const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const plots = [...document.querySelectorAll(".chart-plot")].filter(
    (plot) => plot.checkVisibility() && plot.getBoundingClientRect().width > 0);
  const undrawn = [];
  for (const plot of plots) {
    plot.scrollIntoView({block: "center"});
    const start = performance.now();
    while (!plot.querySelector(".main-svg") && performance.now() - start < timeout) await pause(50);
    if (!plot.querySelector(".main-svg")) undrawn.push(window.__describe(plot));
  }
  window.scrollTo(0, 0);
  await document.fonts.ready;
  let last = "";
  for (let round = 0; round < 20; round++) {
    await frame();
    await frame();
    const now = [...document.querySelectorAll(".chart-plot svg text")].map((text) => {
      const box = text.getBoundingClientRect();
      return `${box.x.toFixed(1)},${box.y.toFixed(1)},${box.width.toFixed(1)}`;
    }).join(";");
    if (now === last) break;
    last = now;
    await pause(100);
  }
  return undrawn;
}
"""

# (a) The document's width, every visible element that leaves the viewport, unless it sits in
# a horizontally scrollable container that is itself inside the viewport, and those scrolling
# containers. Not counted: the
# insides of an <svg> (the chart labels have their own check), text hidden for screen readers
# only (clipped to 1 px), and absolutely placed elements lying wholly left of the page, which
# cannot widen it: skip links waiting for focus, plotly's text-measuring SVG. Only the
# outermost offenders are listed, the farthest first.
OVERFLOW_JS = """
(width) => {
  const viewport = Math.min(window.innerWidth, document.documentElement.clientWidth, width);
  const inView = (box) => box.left >= -1 && box.right <= viewport + 1;
  const srOnly = (element) => {
    for (let node = element; node && node !== document.body; node = node.parentElement) {
      const style = getComputedStyle(node);
      const box = node.getBoundingClientRect();
      const clipped = (style.clip && style.clip !== "auto") || style.clipPath !== "none";
      if (clipped && (box.width <= 1 || box.height <= 1)) return true;
    }
    return false;
  };
  const parkedLeft = (element, box) =>
    box.right <= 0 && ["absolute", "fixed"].includes(getComputedStyle(element).position);
  const scrollsInView = (element) => {
    for (let node = element.parentElement; node && node !== document.body;
         node = node.parentElement) {
      const overflow = getComputedStyle(node).overflowX;
      if (overflow === "auto" || overflow === "scroll") return inView(node.getBoundingClientRect());
    }
    return false;
  };
  const offenders = new Set();
  const parked = new Set();
  // Document order: a parent comes before its children.
  for (const element of document.body.querySelectorAll("*")) {
    if (element.parentElement?.closest("svg")) continue;
    const box = element.getBoundingClientRect();
    if (parked.has(element.parentElement) || parkedLeft(element, box)) {
      parked.add(element);
      continue;
    }
    if (box.width === 0 && box.height === 0) continue;
    if (inView(box)) continue;
    if (!element.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    if (srOnly(element) || scrollsInView(element)) continue;
    offenders.add(element);
  }
  // Boxes that scroll sideways with content hidden past their edge. Such a box is a
  // deliberate scrolling table only with a sticky first column (when it holds a table) and a
  // visible cue: a background image on the box (a shadow at the edge that hides more) or a
  // visible element of class scroll-cue beside it (in its parent).
  const visible = (node) => node.checkVisibility({opacityProperty: true, visibilityProperty: true})
    && node.getBoundingClientRect().width > 0;
  const scrollers = [];
  for (const element of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(element);
    if (!["auto", "scroll"].includes(style.overflowX)) continue;
    if (element.closest("svg") || !visible(element)) continue;
    if (element.scrollWidth <= element.clientWidth + 1) continue;
    const first = element.querySelector("table tbody tr > :first-child");
    const sticky = !element.querySelector("table") ||
      (first !== null && getComputedStyle(first).position === "sticky");
    const cue = style.backgroundImage !== "none" ||
      [...(element.parentElement?.querySelectorAll(".scroll-cue") || [])].some(visible);
    scrollers.push({
      element: window.__describe(element),
      shown: element.clientWidth,
      content: element.scrollWidth,
      sticky_first_column: sticky,
      cue,
    });
  }
  const outermost = [...offenders].filter((element) => !offenders.has(element.parentElement));
  const described = outermost.map((element) => {
    const box = element.getBoundingClientRect();
    return {
      element: window.__describe(element),
      left: Math.round(box.left),
      right: Math.round(box.right),
      beyond: Math.round(Math.max(box.right - viewport, -box.left)),
    };
  }).sort((a, b) => b.beyond - a.beyond);
  return {
    viewport,
    scroll_width: document.documentElement.scrollWidth,
    scroll_height: document.documentElement.scrollHeight,
    offender_count: described.length,
    offenders: described.slice(0, 10),
    scrollers,
  };
}
"""

# (b) Per chart: its visible, non-empty SVG labels as the quadrilaterals they cover on screen
# (rotated labels stay rotated, so neighbouring slanted ticks do not count as overlapping),
# every pair overlapping by more than the tolerance (separating-axis test), and every label
# that leaves the chart's box. plotly's hover labels are left out.
LABELS_JS = """
(tolerance) => {
  const quad = (text) => {
    const box = text.getBBox();
    const m = text.getScreenCTM();
    if (!m || box.width < 0.5 || box.height < 0.5) return null;
    return [[box.x, box.y], [box.x + box.width, box.y], [box.x + box.width, box.y + box.height],
            [box.x, box.y + box.height]]
      .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
  };
  const axes = (points) => points.map((point, i) => {
    const next = points[(i + 1) % points.length];
    const dx = next[0] - point[0], dy = next[1] - point[1];
    const length = Math.hypot(dx, dy) || 1;
    return [-dy / length, dx / length];
  });
  // How deep two convex quadrilaterals overlap: the least overlap of their projections on
  // the axes of their edges (0 when some axis separates them).
  const depth = (a, b) => {
    let least = Infinity;
    for (const [x, y] of [...axes(a), ...axes(b)]) {
      const pa = a.map((p) => p[0] * x + p[1] * y), pb = b.map((p) => p[0] * x + p[1] * y);
      const overlap = Math.min(Math.max(...pa), Math.max(...pb)) -
        Math.max(Math.min(...pa), Math.min(...pb));
      if (overlap <= 0) return 0;
      least = Math.min(least, overlap);
    }
    return least;
  };
  const charts = [];
  for (const plot of document.querySelectorAll(".chart-plot")) {
    if (!plot.checkVisibility() || !plot.querySelector(".main-svg")) continue;
    const frame = plot.getBoundingClientRect();
    const labels = [];
    for (const text of plot.querySelectorAll("svg text")) {
      const words = text.textContent.trim().replace(/\\s+/g, " ");
      if (!words || text.closest(".hoverlayer")) continue;
      if (!text.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
      const points = quad(text);
      if (points) labels.push({text: words.slice(0, 40), points});
    }
    const overlaps = [];
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        const d = depth(labels[i].points, labels[j].points);
        if (d > tolerance) overlaps.push([labels[i].text, labels[j].text, Math.round(d)]);
      }
    }
    const outside = [];
    for (const label of labels) {
      const xs = label.points.map((p) => p[0]), ys = label.points.map((p) => p[1]);
      const beyond = Math.max(frame.left - Math.min(...xs), Math.max(...xs) - frame.right,
                              frame.top - Math.min(...ys), Math.max(...ys) - frame.bottom);
      if (beyond > tolerance) outside.push([label.text, Math.round(beyond)]);
    }
    charts.push({
      chart: plot.closest("figure")?.id || plot.dataset.figure || window.__describe(plot),
      labels: labels.length,
      overlaps,
      outside,
    });
  }
  return charts;
}
"""

# (c) plotly toolbars a reader can see: on the screen, not hidden, and with at least one group
# of buttons that is not transparent (plotly's hover-only toolbar keeps its groups at opacity 0
# until the pointer is over the chart).
MODEBAR_JS = """
() => [...document.querySelectorAll(".modebar")].filter((bar) => {
  const visible = (node) => {
    const box = node.getBoundingClientRect();
    return box.width > 0 && box.height > 0 &&
      node.checkVisibility({opacityProperty: true, visibilityProperty: true});
  };
  return visible(bar) && [...bar.querySelectorAll(".modebar-group")].some(
    (group) => visible(group) && parseFloat(getComputedStyle(group).opacity) > 0.05);
}).map((bar) => bar.closest("figure")?.id || window.__describe(bar))
"""


def measure(page, url, width):
    """Loads `url` in `page` and returns what the three checks need."""
    response = page.goto(url, wait_until="load")
    page.evaluate(DESCRIBE_JS)
    undrawn = page.evaluate(WAIT_FOR_CHARTS_JS, CHART_TIMEOUT_MS)
    return {
        "url": url,
        "status": response.status if response else None,
        "undrawn_charts": undrawn,
        **page.evaluate(OVERFLOW_JS, width),
        "charts": page.evaluate(LABELS_JS, TOLERANCE),
        "visible_modebars": page.evaluate(MODEBAR_JS),
    }


def context_options(width):
    """A phone with a touch screen at 375 px, a desktop with a mouse at 1280 px."""
    if width < 800:
        return {
            "viewport": {"width": width, "height": 812},
            "is_mobile": True,
            "has_touch": True,
        }
    return {"viewport": {"width": width, "height": 800}}


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    """One live server for the module, on data loaded once."""
    from tests.browser import serve_for_module
    from tests.conftest import CASEBOOK, CURATED_FIXTURES

    curated = os.environ.get("CSR_RESPONSIVE_DATA") == "curated"
    yield from serve_for_module(django_db_blocker, *(CURATED_FIXTURES if curated else [CASEBOOK]))


@pytest.fixture(scope="module")
def measurements(server, browser):
    """measurements(name, width, language): the page measured once, then remembered."""
    pages, seen = {}, {}

    def get(name, width, language):
        key = (name, width, language)
        if key not in seen:
            if width not in pages:
                context = browser.new_context(locale="zh-CN", **context_options(width))
                pages[width] = context.new_page()
            prefix = "/en" if language == "en" else ""
            seen[key] = measure(pages[width], server.url + prefix + PAGES[name], width)
        return seen[key]

    yield get
    for page in pages.values():
        # Away from the site first, so that no request is still in flight when the server stops.
        page.goto("about:blank")
        page.context.close()


def measured(measurements, name, width, language):
    found = measurements(name, width, language)
    # A missing or broken page would pass every check below with nothing on it.
    assert found["status"] == 200, f"{found['url']} answered {found['status']}"
    return found


def where(name, width, language, found):
    return f"{name} page (/{found['url'].split('/', 3)[-1]}) at {width} px in {language}"


@pytest.mark.parametrize(("name", "width", "language"), VIEWS)
def test_nothing_is_wider_than_the_screen(measurements, name, width, language):
    found = measured(measurements, name, width, language)
    lines = [
        f"  {o['element']}: spans {o['left']}…{o['right']} px, {o['beyond']} px beyond"
        for o in found["offenders"]
    ]
    if found["offender_count"] > len(lines):
        lines.append(f"  … and {found['offender_count'] - len(lines)} more")
    for box in found["scrollers"]:
        missing = [
            what
            for what, present in [
                ("a sticky first column", box["sticky_first_column"]),
                ("a visible cue (.scroll-cue beside it, or an edge shadow)", box["cue"]),
            ]
            if not present
        ]
        if missing:
            lines.append(
                f"  {box['element']}: scrolls sideways, showing {box['shown']} of "
                f"{box['content']} px, without {' or '.join(missing)}"
            )
    assert found["scroll_width"] <= found["viewport"] and not lines, (
        f"{where(name, width, language, found)}: the document is {found['scroll_width']} px wide "
        f"for a {found['viewport']} px screen; elements leaving the screen, or hidden in a box "
        "that scrolls sideways without a cue:\n" + "\n".join(lines)
    )


@pytest.mark.parametrize(("name", "width", "language"), VIEWS)
def test_chart_labels_do_not_overlap(measurements, name, width, language):
    found = measured(measurements, name, width, language)
    assert not found["undrawn_charts"], (
        f"{where(name, width, language, found)}: charts not drawn within "
        f"{CHART_TIMEOUT_MS // 1000} s: {found['undrawn_charts']}"
    )
    problems = []
    for chart in found["charts"]:
        for first, second, depth in chart["overlaps"][:8]:
            problems.append(f"  {chart['chart']}: {first!r} and {second!r} overlap by {depth} px")
        if len(chart["overlaps"]) > 8:
            problems.append(f"  {chart['chart']}: … {len(chart['overlaps']) - 8} more overlaps")
        for text, beyond in chart["outside"][:8]:
            problems.append(f"  {chart['chart']}: {text!r} leaves the chart by {beyond} px")
        if len(chart["outside"]) > 8:
            problems.append(f"  {chart['chart']}: … {len(chart['outside']) - 8} more outside")
    assert not problems, f"{where(name, width, language, found)}:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("name", "width", "language"), [view for view in VIEWS if view.values[1] < 800]
)
def test_no_chart_toolbar_on_a_touch_screen(measurements, name, width, language):
    found = measured(measurements, name, width, language)
    assert not found["visible_modebars"], (
        f"{where(name, width, language, found)} (touch screen): plotly's toolbar shows on "
        f"{found['visible_modebars']}"
    )
