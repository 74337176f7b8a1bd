"""Spreadsheet export of cases and figures, and import of figures (django-import-export).

Files name related records by slug (units by symbol), never by database id, so a file can
be read, edited in Excel and imported again. Every imported figure is checked exactly as
the figure form checks it, and a file with any bad row changes nothing."""

from .admin import CaseExportMixin, FigureImportExportMixin
from .resources import FIGURE_COLUMNS, STATED_BY_CLEAN

__all__ = ["FIGURE_COLUMNS", "STATED_BY_CLEAN", "CaseExportMixin", "FigureImportExportMixin"]
