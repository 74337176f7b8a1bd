"""Versioned data releases: `manage.py release VERSION` writes a Frictionless data package of
the public data, and /data/ lists and serves the releases."""

import csv
import datetime
import hashlib
import json
import zipfile
from decimal import Decimal

import frictionless
import pytest
from django.core.management import CommandError, call_command

from cases import release_texts, releases
from cases.models import Assessment, Metric, Project

pytestmark = pytest.mark.django_db

DRAFT = "tencent-village-affairs-platform"


@pytest.fixture
def releases_dir(settings, tmp_path):
    """An empty releases folder of this test's own."""
    settings.CASEBOOK_RELEASES_DIR = tmp_path / "releases"
    return settings.CASEBOOK_RELEASES_DIR


@pytest.fixture(scope="module")
def first_release(casebook, tmp_path_factory, django_db_blocker):
    """Release 1.0.0 of the tests' casebook, built once for the tests that only read it."""
    from django.test import override_settings

    folder = tmp_path_factory.mktemp("published")
    with override_settings(CASEBOOK_RELEASES_DIR=folder), django_db_blocker.unblock():
        releases.build_release("1.0.0", "The first release.")
    return folder


@pytest.fixture
def published(settings, first_release):
    settings.CASEBOOK_RELEASES_DIR = first_release
    return first_release / "1.0.0"


def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def column(path, name):
    return {row[name] for row in rows(path)}


def test_the_package_passes_frictionless_validation(published):
    report = frictionless.validate(str(published / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "type", "note"])
    assert report.stats["errors"] == 0
    assert report.stats["tasks"] == len(
        json.loads((published / "datapackage.json").read_text())["resources"]
    )


def test_describes_each_table_in_both_languages_with_keys_and_licence(published):
    package = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == "1.0.0"
    assert package["title_zh"] and package["licenses"][0]["name"] == "CC-BY-4.0"
    figures = next(r for r in package["resources"] if r["name"] == "figures")
    fields = {field["name"]: field for field in figures["schema"]["fields"]}
    assert fields["value"]["type"] == "number"
    assert fields["as_of"]["type"] == "date"
    assert fields["as_of_precision"]["constraints"]["enum"] == ["day", "month", "year"]
    assert fields["original_wording"]["title"] == "original wording"
    assert fields["original_wording"]["title_zh"] == "原文表述"
    assert figures["schema"]["primaryKey"] == ["slug"]
    assert {"fields": ["case"], "reference": {"resource": "cases", "fields": ["slug"]}} in figures[
        "schema"
    ]["foreignKeys"]
    assert figures["hash"].startswith("sha256:") and figures["bytes"] > 0


def test_foreign_keys_hold_between_the_tables(published):
    cases = column(published / "cases.csv", "slug")
    companies = column(published / "companies.csv", "slug")
    for figure in rows(published / "figures.csv"):
        assert figure["case"] in cases | {""}
        assert figure["company"] in companies | {""}
    assert column(published / "assessments.csv", "case") <= cases
    assert column(published / "milestones.csv", "case") <= cases
    assert column(published / "partners.csv", "partner") <= companies


def test_leaves_out_drafts_their_figures_and_proposed_assessments(published):
    assert DRAFT not in column(published / "cases.csv", "slug")
    assert not any(slug.startswith(DRAFT) for slug in column(published / "figures.csv", "slug"))
    assert len(rows(published / "figures.csv")) == Metric.objects.public().count()
    proposed = Assessment.objects.get(status="proposed")
    assessed = rows(published / "assessments.csv")
    assert len(assessed) == Assessment.objects.confirmed().count()
    assert proposed.evidence_en not in {row["evidence_en"] for row in assessed}


def test_csv_files_are_excel_safe(published):
    raw = (published / "figures.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfslug,") and b"\r\n" in raw
    figures = {row["slug"]: row for row in rows(published / "figures.csv")}
    assert figures["douyin-xunren-people-reunited-2024-06-13"]["value"] == "22859"
    total = figures["douyin-xunren-minors-reunited-2024-06-13"]["part_of"]
    assert total == "douyin-xunren-people-reunited-2024-06-13"


def test_checksums_match_every_file_and_the_zip_holds_them(published):
    listed = {}
    for line in (published / "checksums.sha256").read_text().splitlines():
        digest, name = line.split("  ")
        listed[name] = digest
    on_disk = {p.name for p in published.iterdir()} - {"checksums.sha256", "csi-casebook-1.0.0.zip"}
    assert set(listed) == on_disk
    for name, digest in listed.items():
        assert hashlib.sha256((published / name).read_bytes()).hexdigest() == digest
    with zipfile.ZipFile(published / "csi-casebook-1.0.0.zip") as zipped:
        names = {name.split("/", 1)[1] for name in zipped.namelist()}
        assert names == on_disk | {"checksums.sha256"}
        assert (
            zipped.read("csi-casebook-1.0.0/figures.csv")
            == (published / "figures.csv").read_bytes()
        )


def test_first_release_says_so(published):
    changes = json.loads((published / "changes.json").read_text())
    assert changes["previous"] is None
    assert "First release" in (published / "CHANGELOG.md").read_text()
    release = releases.latest()
    assert release.version == "1.0.0" and release.is_first
    assert release.counts["cases"] == Project.objects.published().count()


def test_a_second_release_lists_exactly_what_changed(releases_dir):
    releases.build_release("1.0.0")
    changed = Metric.objects.get(slug="meituan-qingshan-plastic-collected-2023")
    changed.value = Decimal("18000")
    changed.save()
    removed = "amap-wheelchair-navigation-volunteers-2023"
    Metric.objects.get(slug=removed).delete()
    added = Metric.objects.get(slug="meituan-qingshan-packaging-designs-2023")
    added.pk, added.slug, added.as_of = (
        None,
        "meituan-qingshan-packaging-designs-2024",
        datetime.date(2024, 6, 30),
    )
    added.save()

    release = releases.build_release("1.1.0", "Corrections.")

    figures = release.changelog["figures"]
    assert figures["added"] == ["meituan-qingshan-packaging-designs-2024"]
    assert figures["removed"] == [removed]
    assert figures["changed"] == [
        {"slug": "meituan-qingshan-plastic-collected-2023", "fields": {"value": ["17600", "18000"]}}
    ]
    assert release.changelog["previous"] == "1.0.0"
    assert release.changelog["tables"]["cases"] == {"added": [], "removed": [], "changed": []}
    changelog = (release.path / "CHANGELOG.md").read_text()
    assert "value: `17600` → `18000`" in changelog
    assert [r.version for r in releases.list_releases()] == ["1.1.0", "1.0.0"]


def test_the_changelog_compares_with_the_previous_files_not_the_database(releases_dir):
    """A text that starts like a formula is guarded in the file, but not reported as changed."""
    releases.build_release("1.0.0")
    figure = Metric.objects.get(slug="meituan-qingshan-plastic-collected-2023")
    before, figure.label_en = figure.label_en, "=reviewed"
    figure.save()
    release = releases.build_release("1.0.1")
    assert release.changelog["figures"]["changed"][0]["fields"] == {
        "label_en": [before, "=reviewed"]
    }
    cells = rows(release.path / "figures.csv")
    assert next(r for r in cells if r["slug"] == figure.slug)["label_en"] == "'=reviewed"
    release = releases.build_release("1.0.2")
    assert release.changelog["figures"]["changed"] == []


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("1.0", "is not a version"),
        ("v1.0.0", "is not a version"),
        ("01.0.0", "is not a version"),
        ("1.0.0", "already exists"),
        ("0.9.9", "must be newer than the latest, 1.0.0"),
    ],
)
def test_refuses_bad_existing_and_older_versions(published, version, message):
    with pytest.raises(CommandError, match=message):
        call_command("release", version)


def test_a_failed_build_leaves_nothing_behind(releases_dir, monkeypatch):
    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(releases, "write_zip", broken)
    with pytest.raises(OSError, match="disk full"):
        releases.build_release("1.0.0")
    assert list(releases_dir.iterdir()) == []
    assert releases.list_releases() == []


def test_a_broken_release_folder_is_skipped(releases_dir, caplog):
    releases.build_release("1.0.0")
    (releases_dir / "2.0.0").mkdir()
    (releases_dir / "2.0.0" / "datapackage.json").write_text("{")
    assert [r.version for r in releases.list_releases()] == ["1.0.0"]
    assert "release 2.0.0 skipped" in caplog.text


def test_the_command_reports_what_it_wrote(releases_dir, capsys):
    call_command("release", "1.0.0", notes="First.")
    out = capsys.readouterr().out
    assert "Release 1.0.0 written" in out and "First release." in out
    package = releases_dir / "1.0.0" / "datapackage.json"
    assert frictionless.validate(str(package)).valid
    assert (releases_dir / "1.0.0").stat().st_mode & 0o755 == 0o755


# The pages ---------------------------------------------------------------------------------


def test_the_data_page_lists_releases_in_both_languages(
    client, published, django_assert_num_queries
):
    with django_assert_num_queries(0):
        chinese = client.get("/data/")
    english = client.get("/en/data/").content.decode()
    assert chinese.status_code == 200
    assert "<h1>数据下载</h1>" in chinese.content.decode()
    assert "<h1>Data downloads</h1>" in english
    assert "Release 1.0.0" in english and "The first release" in english
    assert 'href="/en/data/1.0.0/csi-casebook-1.0.0.zip"' in english
    assert "CC BY 4.0" in english and "does not cover the source documents" in english
    assert "/en/data/latest/" in english


def test_a_release_page_shows_its_tables_and_files(client, published):
    html = client.get("/en/data/1.0.0/").content.decode()
    assert "Data release 1.0.0" in html
    assert 'href="/en/data/1.0.0/figures.csv"' in html
    assert 'href="/en/data/1.0.0/datapackage.json"' in html
    assert "Figures, with their provenance" in html
    assert "数据及其出处" in client.get("/data/1.0.0/").content.decode()


def test_a_release_page_shows_figure_changes_before_and_after(client, releases_dir):
    releases.build_release("1.0.0")
    Metric.objects.filter(slug="meituan-qingshan-plastic-collected-2023").update(value=18000)
    releases.build_release("1.1.0")
    html = client.get("/en/data/").content.decode()
    assert "Since 1.0.0: 0 figures added, 1 changed, 0 removed." in html
    assert "<del>17600</del> → <ins>18000</ins>" in html
    assert (
        client.get("/en/data/1.0.0/").content.decode().count("A newer release is out: 1.1.0") == 1
    )


def test_without_a_release_the_page_says_so(client, releases_dir):
    html = client.get("/en/data/").content.decode()
    assert "No data release has been published yet." in html
    assert "尚未发布" in client.get("/data/").content.decode()
    response = client.get("/data/latest/")
    assert response.status_code == 302 and response["Location"] == "/data/"
    assert client.get("/data/latest/csi-casebook.zip").status_code == 404


def test_latest_redirects_to_the_newest_release(client, published):
    response = client.get("/en/data/latest/")
    assert response.status_code == 302
    assert response["Location"] == "/en/data/1.0.0/"
    assert response["Cache-Control"] == "public, max-age=60"
    response = client.get("/data/latest/figures.csv")
    assert response["Location"] == "/data/1.0.0/figures.csv"
    assert (
        client.get("/data/latest/csi-casebook.zip")["Location"]
        == "/data/1.0.0/csi-casebook-1.0.0.zip"
    )


def test_serves_a_release_file_as_published(client, published):
    response = client.get("/data/1.0.0/figures.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="figures.csv"'
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"".join(response.streaming_content) == (published / "figures.csv").read_bytes()
    zipped = client.get("/data/1.0.0/csi-casebook-1.0.0.zip")
    assert zipped["Content-Type"] == "application/zip"
    assert client.get("/data/1.0.0/datapackage.json")["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "path",
    [
        "/data/1.0.0/..",
        "/data/1.0.0/%2e%2e%2fsettings.py",
        "/data/1.0.0/..%2F..%2Fcsrsite%2Fsettings.py",
        "/data/1.0.0/.building-x",
        "/data/1.0.0/nope.csv",
        "/data/2.0.0/figures.csv",
        "/data/latest/nope.csv",
        "/data/9.9.9/",
        "/data/..%2F/",
    ],
)
def test_refuses_unknown_names_and_path_traversal(client, published, path):
    assert client.get(path).status_code == 404


def test_the_licence_is_stated_in_the_package(published):
    licence = (published / "LICENSE").read_text()
    assert release_texts.LICENSE_LEGAL_CODE in licence
    assert "not licensed here" in licence
    readme = (published / "README.md").read_text()
    assert "How to cite" in readme and "引用" in readme and "| `figures.csv` |" in readme


@pytest.mark.browser
def test_the_data_pages_fit_a_phone_and_pass_axe(
    site_data, live_server, page, settings, tmp_path, run_axe
):
    settings.CASEBOOK_RELEASES_DIR = tmp_path
    releases.build_release("1.0.0")
    Metric.objects.filter(slug="meituan-qingshan-plastic-collected-2023").update(value=18000)
    releases.build_release("1.1.0")
    page.set_viewport_size({"width": 375, "height": 800})
    for path in ["/data/", "/en/data/", "/data/1.1.0/", "/en/data/1.0.0/"]:
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width}px wide"
        assert run_axe(page) == [], path


def test_a_file_gone_from_disk_is_a_404_not_an_error(client, releases_dir):
    releases.build_release("1.0.0")
    assert releases.latest() is not None  # read (and cached) while the file was there
    (releases_dir / "1.0.0" / "units.csv").unlink()
    assert client.get("/data/1.0.0/units.csv").status_code == 404


def test_the_data_page_is_in_the_sitemap_and_the_footer(client, releases_dir):
    assert "/data/</loc>" in client.get("/sitemap-pages.xml").content.decode()
    assert '<a href="/en/data/">Data downloads</a>' in client.get("/en/about/").content.decode()


def test_a_damaged_previous_release_is_named_not_a_traceback(releases_dir):
    releases.build_release("1.0.0")
    (releases_dir / "1.0.0" / "figures.csv").write_text("slug,value\nonly-one-cell\n")
    with pytest.raises(CommandError, match="Release 1.0.0's files could not be read"):
        call_command("release", "1.1.0")
    assert sorted(p.name for p in releases_dir.iterdir()) == ["1.0.0"]
