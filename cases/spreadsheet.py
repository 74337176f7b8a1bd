"""Numbers and text as plain cells: how the public CSV, the admin's spreadsheets and the
messages about a figure write a stored value, and how text is kept from running as a formula."""

from decimal import Decimal

# What a figure says, in the same columns and order in the public CSV (cases.explorer) and in
# the admin's figure spreadsheets (cases.importing.resources). The rest of the two layouts
# differ on purpose: the admin's file goes back in through the import, so it holds only what
# an editor can change and names related records by slug alone; the public CSV is read as it
# is, so it adds names in both languages, the category and the source's title and page.
FIGURE_VALUE_COLUMNS = [
    "label_zh",
    "label_en",
    "value",
    "value_high",
    "unit",
    "qualifier",
    "cumulative",
    "as_of",
    "as_of_precision",
    "as_of_inferred",
    "period_start",
    "period_end",
    "part_of",
]

# Spreadsheet programs run a cell starting with these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def plain_number(value, grouped=False):
    """A number without exponent or trailing zeros: 22859 (not 22859.0000 or 2.2859E+4),
    0.5, or 22,859 when `grouped`; an empty string for None."""
    if value is None:
        return ""
    number = Decimal(value) if not isinstance(value, Decimal) else value
    text = f"{number:,f}" if grouped else f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def spreadsheet_safe(text):
    """`text` that a spreadsheet shows as written instead of running it as a formula."""
    text = "" if text is None else str(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def without_formula_guard(text):
    """`text` as typed, without the apostrophe `spreadsheet_safe` put before a formula."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
