"""`manage.py verify_sources DIR`: every figure checked against its document's text."""

import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import Metric, Source
from tests.conftest import CURATED_FIXTURES

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
DOCUMENT = "截至2024年6月13日,抖音寻人推送信息达196,632条,累计帮助团圆的人数为22,859人。"


@pytest.fixture
def seeds(tmp_path):
    (tmp_path / "002_968845a14dee4877.txt").write_text(DOCUMENT, encoding="utf-8")
    return tmp_path


def verify(folder):
    """Run the command; return (succeeded, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_sources", str(folder), stdout=out, stderr=err)
    except CommandError as error:
        err.write(str(error))
        return False, out.getvalue(), err.getvalue()
    return True, out.getvalue(), err.getvalue()


def test_passes_when_every_figure_matches_its_document(metric, seeds):
    succeeded, out, _ = verify(seeds)
    assert succeeded
    assert "Checked 1 figures and 0 quoted assessments against 1 documents" in out
    assert "0 failed" in out


def test_wording_missing_from_the_document_fails_naming_the_figure(metric, seeds):
    Metric.objects.filter(pk=metric.pk).update(original_wording="22,860人", value=22860)
    succeeded, _, err = verify(seeds)
    assert not succeeded
    assert "FAIL douyin-xunren-people-reunited" in err
    assert "does not appear in the document (002_968845a14dee4877.txt)" in err


def document(tmp_path, text):
    (tmp_path / "002_968845a14dee4877.txt").write_text(text, encoding="utf-8")
    return tmp_path


def test_a_wording_found_only_inside_a_longer_number_fails(metric, tmp_path):
    """2,859人 is inside 22,859人: the figure the wording names is not in the document."""
    Metric.objects.filter(pk=metric.pk).update(original_wording="2,859人", value=2859)
    succeeded, _, err = verify(document(tmp_path, DOCUMENT))
    assert not succeeded
    assert "“2,859人” appears only inside a longer number" in err


def test_a_wording_that_occurs_twice_fails_until_its_context_makes_it_one(metric, tmp_path):
    folder = document(tmp_path, DOCUMENT + "另有志愿者22,859人参与。")
    succeeded, _, err = verify(folder)
    assert not succeeded
    assert "“22,859人” occurs 2 times in the document" in err

    Metric.objects.filter(pk=metric.pk).update(wording_context="累计帮助团圆的人数为22,859人")
    succeeded, out, _ = verify(folder)
    assert succeeded, out
    assert "0 failed" in out


def test_a_context_that_ends_where_the_wording_starts_still_sees_the_longer_number(
    metric, tmp_path
):
    """The context 2,859人。 occurs once in the document, but its wording ends 22,859人."""
    Metric.objects.filter(pk=metric.pk).update(
        original_wording="2,859人", value=2859, wording_context="2,859人。"
    )
    succeeded, _, err = verify(document(tmp_path, DOCUMENT))
    assert not succeeded
    assert "“2,859人” appears only inside a longer number" in err


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ("抖音寻人推送信息达196,632条", "is not in its context"),
        ("团圆的人数为22,859人", "occurs 2 times in the document"),
    ],
)
def test_a_context_that_misses_the_wording_or_repeats_fails(metric, tmp_path, context, message):
    folder = document(tmp_path, DOCUMENT + "另一次团圆的人数为22,859人。")
    Metric.objects.filter(pk=metric.pk).update(wording_context=context)
    succeeded, _, err = verify(folder)
    assert not succeeded
    assert message in err


def test_value_that_disagrees_with_the_wording_fails(metric, seeds):
    Metric.objects.filter(pk=metric.pk).update(value=Decimal("2.2859"))
    succeeded, _, err = verify(seeds)
    assert not succeeded
    assert "reads as 22859, but the value is 2.2859" in err


def test_qualifier_the_wording_does_not_have_fails(metric, seeds):
    Metric.objects.filter(pk=metric.pk).update(qualifier="超过")
    succeeded, _, err = verify(seeds)
    assert not succeeded
    assert "qualifier is 超过" in err


def test_missing_folder_is_a_clear_error(metric, tmp_path):
    succeeded, _, err = verify(tmp_path / "nowhere")
    assert not succeeded
    assert "Folder not found" in err


def test_a_file_instead_of_a_folder_is_a_clear_error(metric, seeds):
    succeeded, _, err = verify(seeds / "002_968845a14dee4877.txt")
    assert not succeeded
    assert "Not a folder" in err


def test_missing_document_fails_every_figure_that_cites_it(metric, tmp_path):
    succeeded, _, err = verify(tmp_path)
    assert not succeeded
    assert "document 002_968845a14dee4877.txt is not in" in err
    assert "1 failed" in err


def test_document_that_is_not_utf8_text_is_reported_as_unreadable(metric, tmp_path):
    (tmp_path / "002_968845a14dee4877.txt").write_bytes(DOCUMENT.encode("gbk"))
    succeeded, _, err = verify(tmp_path)
    assert not succeeded
    assert "cannot be read as UTF-8 text" in err


def test_a_folder_where_the_document_should_be_is_reported(metric, tmp_path):
    (tmp_path / "002_968845a14dee4877.txt").mkdir()
    succeeded, _, err = verify(tmp_path)
    assert not succeeded
    assert "is not a file" in err


def test_a_source_without_a_file_name_fails_its_figures(metric, seeds):
    Source.objects.filter(pk=metric.source_id).update(file_name="")
    succeeded, _, err = verify(seeds)
    assert not succeeded
    assert "names no document file" in err


def test_exits_non_zero_without_a_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "verify_sources", str(tmp_path / "nowhere")],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "1",
             "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )  # fmt: skip
    assert result.returncode == 1
    assert "Folder not found" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"source documents not found at {SEEDS}")
@pytest.mark.django_db
def test_the_curated_dataset_matches_the_source_documents():
    call_command("load_curated", *CURATED_FIXTURES, verbosity=0)
    succeeded, out, err = verify(SEEDS)
    assert succeeded, err
    assert f"against {Source.objects.count()} documents" in out
