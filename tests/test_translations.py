"""The interface exists in both languages: every string has a Chinese translation and the
compiled catalogue that Django reads matches its source."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"


def entries():
    return [entry for entry in polib.pofile(str(CATALOGUE / "django.po")) if not entry.obsolete]


def test_every_string_is_translated_and_none_is_fuzzy():
    untranslated = [entry.msgid for entry in entries() if not entry.translated()]
    assert untranslated == []


def stored(entry):
    """What the catalogue says: the msgstr, or the (single, Chinese) plural form."""
    return entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr


def compiled_form(compiled, entry):
    if entry.msgid_plural:
        if entry.msgctxt:
            return compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
        return compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
    if entry.msgctxt:
        return compiled.pgettext(entry.msgctxt, entry.msgid)
    return compiled.gettext(entry.msgid)


def test_compiled_catalogue_matches_its_source():
    """Run `make messages` after editing django.po; users get the committed .mo file."""
    with open(CATALOGUE / "django.mo", "rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)
    stale = [entry.msgid for entry in entries() if compiled_form(compiled, entry) != stored(entry)]
    assert stale == []


def test_model_labels_are_chinese_by_default_and_english_under_en():
    from django.utils import translation

    from cases.models import Metric

    with translation.override("zh-hans"):
        assert str(Metric._meta.verbose_name) == "数据"
    with translation.override("en"):
        assert str(Metric._meta.verbose_name) == "figure"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_catalogue_holds_every_marked_string(tmp_path):
    """A string marked for translation but never extracted would show in English to
    Chinese readers."""
    tree = tmp_path / "tree"
    shutil.copytree(
        settings.BASE_DIR,
        tree,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "staticfiles", "*.sqlite3", "tests", "node_modules"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "zh_Hans",
            "--no-obsolete",
            "--ignore",
            ".venv/*",
            "-v0",
        ],
        cwd=tree,
        env={**os.environ, "DJANGO_DEBUG": "1"},
        check=True,
    )
    extracted = {
        entry.msgid for entry in polib.pofile(str(tree / "locale/zh_Hans/LC_MESSAGES/django.po"))
    }
    assert extracted - {entry.msgid for entry in entries()} == set()
