"""The plotly.js files committed under static/vendor/plotly, and the script that uses them.

They are copies of npm packages pinned in package.json, refreshed by `make vendor`; these tests
keep the copies, the pins and the README's promises (no other host, no eval) in step.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor" / "plotly"
NODE_MODULES = ROOT / "node_modules"
BUNDLE = VENDOR / "plotly-basic.min.js"
LOCALE = VENDOR / "plotly-locale-zh-cn.js"
CHARTS_JS = ROOT / "static" / "js" / "charts.js"
BASIC = "plotly.js-basic-dist-min"
LOCALES = "plotly.js-locales"

# committed file, npm package, file in the package
COPIES = [
    (BUNDLE, BASIC, "plotly-basic.min.js"),
    (VENDOR / f"LICENSE-{BASIC}.txt", BASIC, "LICENSE"),
    (VENDOR / f"LICENSE-{LOCALES}.txt", LOCALES, "LICENSE"),
]


def pinned(package):
    manifest = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    return manifest["devDependencies"][package]


def installed(package):
    """The package's folder in node_modules, or a skip when it is not the pinned version."""
    folder = NODE_MODULES / package
    if not (folder / "package.json").is_file():
        pytest.skip(f"needs {package} in node_modules; run `make node` (npm ci)")
    version = json.loads((folder / "package.json").read_text(encoding="utf-8"))["version"]
    if version != pinned(package):
        pytest.skip(
            f"node_modules has {package} {version}, package.json pins {pinned(package)}; "
            "run `make node`"
        )
    return folder


def test_every_vendor_dependency_is_pinned_to_an_exact_version():
    for package in (BASIC, LOCALES):
        assert re.fullmatch(r"\d+\.\d+\.\d+", pinned(package)), package


@pytest.mark.parametrize(
    ("committed", "package", "name"), COPIES, ids=[path.name for path, _, _ in COPIES]
)
def test_committed_copy_is_byte_identical_to_the_pinned_package(committed, package, name):
    original = installed(package) / name
    assert committed.read_bytes() == original.read_bytes(), "run `make vendor`"


def test_committed_locale_wraps_the_pinned_package_file_unchanged():
    original = (installed(LOCALES) / "zh-cn.js").read_bytes()
    head, found, tail = LOCALE.read_bytes().partition(original)
    assert found, "run `make vendor`"
    assert b"var module = {exports: {}};" in head
    assert b"window.Plotly.register(module.exports)" in tail


def test_plotly_py_checks_figures_against_the_plotly_js_we_serve():
    """plotly.py validates figures with the schema of the plotly.js it bundles; the pages draw
    them with the committed bundle, so the two releases must be the same."""
    from plotly.offline import get_plotlyjs_version

    assert get_plotlyjs_version() == pinned(BASIC)


def test_bundle_banner_names_the_pinned_version():
    banner = BUNDLE.read_text(encoding="utf-8")[:300]
    found = re.search(r"plotly\.js \(basic - minified\) v(\S+)", banner)
    assert found, banner
    assert found[1] == pinned(BASIC), "run `make vendor`"


def test_locale_header_names_the_pinned_version():
    first_line = LOCALE.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith(f"// {LOCALES} {pinned(LOCALES)} zh-cn.js"), first_line


def test_bundle_and_locale_license_files_are_mit():
    for path, _, _ in COPIES[1:]:
        assert path.read_text(encoding="utf-8").startswith("MIT License"), path.name


@pytest.mark.parametrize("path", [BUNDLE, LOCALE, CHARTS_JS], ids=lambda path: path.name)
def test_script_compiles_no_code_from_strings(path):
    # A Content-Security-Policy without 'unsafe-eval' must be enough for every chart script.
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"(?<![\w$.])eval\s*\(", source)
    assert not re.search(r"(?<![\w$.])Function\s*\(", source)
    assert not re.search(r"set(Timeout|Interval)\s*\(\s*[\"'`]", source)


def test_charts_script_loads_nothing_from_another_host():
    source = CHARTS_JS.read_text(encoding="utf-8")
    assert not re.search(r"https?:", source)
    assert not re.search(r"[\"'`(]//", source), "no protocol-relative URLs either"


def test_plotly_stylesheet_matches_the_committed_bundle():
    """static/vendor/plotly/plotly.css holds exactly the rules the bundle would insert inline,
    so a new plotly.js without `make vendor` cannot leave charts unstyled or break the CSP."""
    from csrsite.vendor import plotly_css

    expected = plotly_css(BUNDLE.read_text(encoding="utf-8"))
    assert (VENDOR / "plotly.css").read_text(encoding="utf-8") == expected, "run `make vendor`"
    assert ".js-plotly-plot .plotly .modebar{" in expected
    assert ".plotly-notifier .notifier-note{" in expected


def test_plotly_stylesheet_extraction_fails_loudly_on_an_unknown_bundle():
    from csrsite.vendor import plotly_css

    with pytest.raises(ValueError, match="not found"):
        plotly_css("var nothing = {};")
