"""`manage.py load_curated`: all or nothing, and a failure names the object that broke it.
(Loading the curated fixtures themselves is checked in tests/test_dataset.py.)"""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import SDG, Company, Metric, Milestone, Partnership, Project, Unit
from tests.conftest import CASEBOOK


def counts():
    return {
        model.__name__: model.objects.count()
        for model in [SDG, Unit, Company, Project, Partnership, Milestone, Metric]
    }


def write_fixture(tmp_path, objects, name="broken.json"):
    path = tmp_path / name
    path.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    return str(path)


GOOD_COMPANY = {
    "model": "cases.company",
    "fields": {"slug": "test-company", "name_zh": "测试", "name_en": "Test", "kind": "internet"},
}


def project_referring_to(company_slug):
    return {
        "model": "cases.project",
        "fields": {
            "slug": "qingshan",
            "name_zh": "青山计划",
            "name_en": "Qingshan Plan",
            "company": [company_slug],
            "mechanism": "platform",
        },
    }


@pytest.mark.django_db
def test_missing_slug_names_the_object_and_loads_nothing(tmp_path):
    call_command("load_curated", CASEBOOK, verbosity=0)
    before = counts()
    fixture = write_fixture(tmp_path, [GOOD_COMPANY, project_referring_to("no-such-company")])

    with pytest.raises(CommandError) as caught:
        call_command("load_curated", fixture, verbosity=0)

    message = str(caught.value)
    assert 'cases.project "qingshan"' in message
    assert "no-such-company" in message
    assert counts() == before
    assert not Company.objects.filter(slug="test-company").exists()


@pytest.mark.django_db
def test_missing_optional_reference_names_the_object(tmp_path):
    company = {**GOOD_COMPANY, "fields": {**GOOD_COMPANY["fields"], "parent": ["no-group"]}}
    fixture = write_fixture(tmp_path, [company])

    with pytest.raises(CommandError) as caught:
        call_command("load_curated", fixture, verbosity=0)

    assert 'cases.company "test-company"' in str(caught.value)
    assert "no-group" in str(caught.value)
    assert not Company.objects.exists()


@pytest.mark.django_db
def test_forward_reference_within_a_load_is_allowed(tmp_path):
    subsidiary = {
        "model": "cases.company",
        "fields": {
            "slug": "amap",
            "name_zh": "高德",
            "name_en": "Amap",
            "kind": "internet",
            "parent": ["alibaba"],
        },
    }
    group = {
        "model": "cases.company",
        "fields": {
            "slug": "alibaba",
            "name_zh": "阿里巴巴",
            "name_en": "Alibaba",
            "kind": "internet",
        },
    }
    call_command("load_curated", write_fixture(tmp_path, [subsidiary, group]), verbosity=0)
    assert Company.objects.get(slug="amap").parent.slug == "alibaba"


@pytest.mark.django_db
def test_broken_rule_names_the_object_and_loads_nothing(tmp_path):
    call_command("load_curated", CASEBOOK, verbosity=0)
    before = counts()
    figure = {
        "model": "cases.metric",
        "fields": {
            "slug": "negative-reunions",
            "project": ["douyin-xunren"],
            "indicator": ["people-reunited"],
            "label_zh": "团圆人数",
            "value": "-5",
            "unit": ["人"],
            "as_of": "2024-06-13",
            "as_of_precision": "day",
            "source": ["csi-observation-report-2024"],
            "locator": "p.20",
            "original_wording": "-5人",
        },
    }
    fixture = write_fixture(tmp_path, [GOOD_COMPANY, figure])

    with pytest.raises(CommandError) as caught:
        call_command("load_curated", fixture, verbosity=0)

    assert 'cases.metric "negative-reunions"' in str(caught.value)
    assert counts() == before


@pytest.mark.django_db
def test_duplicate_natural_key_in_one_load_is_refused(tmp_path):
    renamed = {**GOOD_COMPANY, "fields": {**GOOD_COMPANY["fields"], "name_en": "Meituan Inc."}}
    fixture = write_fixture(tmp_path, [GOOD_COMPANY, renamed])

    with pytest.raises(CommandError) as caught:
        call_command("load_curated", fixture, verbosity=0)

    assert 'cases.company "test-company"' in str(caught.value)
    assert "twice" in str(caught.value)
    assert not Company.objects.exists()


@pytest.mark.django_db
def test_database_constraint_names_the_object(tmp_path):
    """A clash the validation cannot see before saving still names the object."""
    call_command("load_curated", CASEBOOK, verbosity=0)
    before = counts()
    milestone = {
        "model": "cases.milestone",
        "pk": Milestone.objects.first().pk + 1000,
        "fields": {
            "project": ["douyin-xunren"],
            "happened_on": "2016-02-01",
            "precision": "month",
            "text_zh": Milestone.objects.filter(
                project__slug="douyin-xunren", happened_on="2016-02-01"
            )
            .first()
            .text_zh,
        },
    }
    fixture = write_fixture(tmp_path, [milestone])

    with pytest.raises(CommandError) as caught:
        call_command("load_curated", fixture, verbosity=0)

    assert "cases.milestone" in str(caught.value)
    assert "douyin-xunren" in str(caught.value)
    assert counts() == before


def test_load_curated_reports_without_traceback(tmp_path):
    """Run as a user would: a one-line error on stderr and a non-zero exit."""
    import os
    import subprocess
    import sys

    from tests.deploy_support import migrated_sqlite

    fixture = write_fixture(tmp_path, [project_referring_to("no-such-company")])
    database = tmp_path / "db.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SECRET_KEY": "x",
    }
    manage = Path(settings.BASE_DIR) / "manage.py"
    migrated_sqlite(database)
    result = subprocess.run(
        [sys.executable, manage, "load_curated", CASEBOOK, fixture],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert 'cases.project "qingshan"' in result.stderr
