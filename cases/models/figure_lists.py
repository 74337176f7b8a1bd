"""Figures already loaded, arranged for a page: breakdowns under their totals, outcomes apart
from key facts, and the series that trace one measure through time."""


def nest_parts(figures):
    """`figures` with each breakdown moved under its total (as `part_list`), order kept.
    A part whose total is not among `figures` stays in the list on its own."""
    figures = list(figures)
    present = {figure.pk for figure in figures}
    for figure in figures:
        figure.part_list = []
    by_pk = {figure.pk: figure for figure in figures}
    shown = []
    for figure in figures:
        if figure.part_of_id in present:
            by_pk[figure.part_of_id].part_list.append(figure)
        else:
            shown.append(figure)
    return shown


def outcomes_and_key_facts(figures):
    """`figures` as two lists, order kept: outcomes, and key facts (`Indicator.is_key_fact`)."""
    figures = list(figures)
    return (
        [figure for figure in figures if not figure.indicator.is_key_fact],
        [figure for figure in figures if figure.indicator.is_key_fact],
    )


def series_over_time(figures, key):
    """Figures that trace one measure through time: {series key: figures oldest first} for
    every group of `figures` sharing `key(figure)` that has two or more as-of dates, each
    date holding a single figure. Breakdowns are left out."""
    groups = {}
    for figure in figures:
        if not figure.part_of_id:
            groups.setdefault(key(figure), []).append(figure)
    series = {}
    for group_key, members in groups.items():
        dates = [figure.as_of for figure in members]
        if len(dates) >= 2 and len(set(dates)) == len(dates):
            series[group_key] = sorted(members, key=lambda figure: figure.as_of)
    return series
