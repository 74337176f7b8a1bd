"""plotly.js's own stylesheet, taken out of its bundle so that the CSP needs no inline style.

plotly.js puts its rules (modebar, hover labels, notifier …) into a <style> element it creates
at run time, which a Content-Security-Policy without 'unsafe-inline' blocks. It skips that when
the page already has an element with the id `plotly.js-style-global` and the class
`no-inline-styles`; our pages link this file under that id instead. `make vendor` writes it
with `python -m csrsite.vendor`, and tests/test_vendor.py checks it still matches the bundle.
"""

import re
import sys
from pathlib import Path

BUNDLE = Path(__file__).resolve().parent.parent / "static/vendor/plotly/plotly-basic.min.js"

# The rules object in the bundle: {"X,X div":'direction:ltr;…', …,"Y .notifier-close:hover":"…"}
RULES = re.compile(r'\{"X,X div":.*?\};for\(', re.DOTALL)
STRING = r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\''
PAIR = re.compile(rf"({STRING}):({STRING})")


def plotly_css(bundle_text):
    """The CSS rules plotly.js would insert, in the order it leaves them in the page."""
    found = RULES.search(bundle_text)
    if not found:
        raise ValueError("plotly.js's style rules were not found in the bundle")
    rules = []
    for key, value in PAIR.findall(found.group(0)):
        if "\\" in key + value:
            raise ValueError(
                f"an escaped character in plotly.js's rule {key}: update csrsite/vendor.py"
            )
        # The same substitutions plotly.js makes before inserting each rule.
        selector = re.sub("^,", " ,", key[1:-1])
        selector = selector.replace("X", ".js-plotly-plot .plotly").replace("Y", ".plotly-notifier")
        rules.append(f"{selector}{{{value[1:-1]}}}")
    # plotly.js inserts every rule at the top of its sheet, so the last one ends up first.
    header = (
        "/* plotly.js's built-in styles, extracted from plotly-basic.min.js by `make vendor`. */"
    )
    return "\n".join([header, *reversed(rules)]) + "\n"


if __name__ == "__main__":
    sys.stdout.write(plotly_css(BUNDLE.read_text(encoding="utf-8")))
