"""The curated dataset in fixtures/: complete, traceable, comparable and stable.

Loaded once for the module (Django's TestCase.setUpTestData) and checked as a whole.
"""

import json
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, F, Sum
from django.test import TestCase

from cases.dates import Precision
from cases.models import (
    SDG,
    Assessment,
    Company,
    IssueAlias,
    Metric,
    Milestone,
    Project,
    SocialIssue,
    Source,
    Unit,
)
from cases.wording import check_figure, unit_spellings
from tests.conftest import CURATED_FIXTURES

SLUG_SNAPSHOT = Path(__file__).parent / "data" / "dataset_slugs.txt"
SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
#: Names and report titles may be quoted; a run of this many characters is a pasted sentence.
LONGEST_QUOTE = 40
OWN_WORDS_FIELDS = (
    "summary_zh", "goal_zh", "practice_zh", "innovation_zh", "description_zh",
    "note_zh", "text_zh", "role_zh", "label_zh",
)  # fmt: skip
FLAGSHIP_CASES = [
    "alibaba-rural-envoys",
    "douyin-xunren",
    "meituan-qingshan",
    "vipshop-weiai-mama",
    "amap-wheelchair-navigation",
    "dami-xiaomi-autism-rehab",
    "tencent-silver-guardian",
    "boke-game-plus",
]


def fixture_objects():
    for path in CURATED_FIXTURES:
        for obj in json.loads(Path(path).read_text(encoding="utf-8")):
            yield Path(path).name, obj


def end_of_period(day, precision):
    """The last day a partial date can stand for: 2024-07 → 2024-07-31."""
    if precision == Precision.YEAR:
        return date(day.year, 12, 31)
    if precision == Precision.MONTH:
        following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)
    return day


class CuratedDatasetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_curated", *CURATED_FIXTURES, verbosity=0)

    def test_every_published_case_has_a_scorecard_with_evidence(self):
        """Derived levels for all nine derived indicators, and editors' confirmed assessments
        with a quotation, its document and place; replies to enquiries never assessed."""
        for case in Project.objects.published():
            confirmed = case.assessments.filter(status=Assessment.Status.CONFIRMED)
            assert confirmed.filter(derived=True).count() == 9, case.slug
            assessed = confirmed.filter(derived=False)
            assert assessed.exists(), f"{case.slug} has no editor's assessment"
            for assessment in confirmed:
                assert assessment.evidence_zh.strip() and assessment.evidence_en.strip()
            for assessment in assessed:
                assert assessment.quotation and assessment.source_id and assessment.locator
        assert not Assessment.objects.filter(indicator__slug="email-reply").exists()
        assert not Assessment.objects.filter(status=Assessment.Status.PROPOSED).exists()

    def test_a_date_inferred_from_a_documents_date_is_no_finer_than_a_month(self):
        """An article that does not date a figure dates it only as finely as its own date
        stands for the figure's moment: never to the day."""
        inferred = Metric.objects.filter(as_of_inferred=True)
        assert inferred.exists()
        assert not inferred.filter(as_of_precision=Precision.DAY).exists()

    def test_all_seventeen_goals_are_loaded_with_their_colours(self):
        goals = SDG.objects.order_by("number")
        assert [goal.number for goal in goals] == list(range(1, 18))
        assert all(goal.colour and goal.name_en for goal in goals)

    def test_loading_the_fixtures_again_changes_nothing(self):
        models = [Company, Project, Milestone, Metric, Source, SocialIssue, Unit]
        before = {model: model.objects.count() for model in models}
        assert before[Project] and before[Metric]
        call_command("load_curated", *CURATED_FIXTURES, verbosity=0)
        assert {model: model.objects.count() for model in models} == before

    def test_case_figures_belong_to_the_case_company_or_a_unit_of_its_group(self):
        figures = Metric.objects.filter(project__isnull=False).select_related("project", "company")
        assert figures.filter(company=F("project__company")).exists()
        for figure in figures:
            group = figure.project.company.parent_id or figure.project.company_id
            assert group in (figure.company_id, figure.company.parent_id), figure.slug

    def test_all_five_documents_are_sources_with_their_file(self):
        names = set(Source.objects.values_list("file_name", flat=True))
        assert {
            "000_73d1216d0004c5af.txt",
            "001_75d7fbf682ebb56c.txt",
            "002_968845a14dee4877.txt",
            "003_09295ae9d5366575.txt",
            "004_588806172c67b95f.txt",
        } <= names
        assert all(names)

    def test_every_source_is_cited(self):
        uncited = Source.objects.annotate(figures=Count("metrics"), cases=Count("projects")).filter(
            figures=0, cases=0
        )
        assert list(uncited) == []

    def test_the_eight_flagship_cases_are_published(self):
        published = set(Project.objects.published().values_list("slug", flat=True))
        assert set(FLAGSHIP_CASES) <= published

    def test_every_curated_case_is_published_and_complete(self):
        """A case needs what a reader needs: company, both summaries, an issue and a source.
        An unknown launch date is said in the case's note, never a reason to hide it."""
        assert not Project.objects.filter(status=Project.Status.DRAFT).exists()
        cases = Project.objects.published()
        assert cases.count() == 34
        for case in cases:
            assert case.publishable_errors() == [], case.slug
            if case.launched_on is None:
                assert case.note_zh.strip() and case.note_en.strip(), case.slug
                assert "草稿" not in case.note_zh and "draft" not in case.note_en, case.slug

    def test_every_figure_is_traceable(self):
        for figure in Metric.objects.select_related("source", "unit"):
            assert figure.source.file_name, figure.slug
            assert figure.locator.strip(), figure.slug
            assert figure.original_wording.strip(), figure.slug
            assert figure.as_of and figure.as_of_precision, figure.slug
            assert figure.unit_id, figure.slug
            assert figure.label_zh.strip() and figure.label_en.strip(), figure.slug

    def test_inferred_dates_and_editor_notes_are_explained_in_both_languages(self):
        for figure in Metric.objects.all():
            if figure.as_of_inferred:
                assert figure.note_zh.strip(), f"{figure.slug}: inferred as-of without a note"
            assert bool(figure.note_zh.strip()) == bool(figure.note_en.strip()), figure.slug

    def test_no_figure_is_dated_after_its_document_was_published(self):
        for figure in Metric.objects.select_related("source"):
            published = figure.source.published_on
            if published:
                latest = end_of_period(published, figure.source.published_precision)
                assert figure.as_of <= latest, figure.slug

    def test_no_two_figures_duplicate_each_other(self):
        keys = Counter(
            Metric.objects.values_list("project", "company", "indicator", "as_of", "value")
        )
        assert [key for key, count in keys.items() if count > 1] == []

    def test_converting_each_original_wording_reproduces_the_stored_value(self):
        spellings = unit_spellings(Unit.objects.all())
        failures = {}
        for figure in Metric.objects.select_related("unit"):
            problems = check_figure(figure, spellings)
            if problems:
                failures[figure.slug] = [str(problem) for problem in problems]
        assert failures == {}

    def test_breakdowns_never_add_up_to_more_than_their_total(self):
        totals = Metric.objects.annotate(parts_sum=Sum("parts__value")).filter(
            parts_sum__isnull=False
        )
        assert totals.exists()
        assert [total.slug for total in totals if total.parts_sum > total.value] == []
        reunited = totals.get(slug="douyin-xunren-people-reunited-2024-06-13")
        assert reunited.parts.count() == 3
        assert reunited.parts_sum == reunited.value

    def test_figures_are_counted_in_their_indicators_unit(self):
        mismatched = Metric.objects.exclude(unit=F("indicator__unit"))
        assert list(mismatched.values_list("slug", flat=True)) == []

    def test_company_and_industry_figures_are_kept_apart(self):
        industry = Metric.objects.filter(industry_wide=True)
        assert industry.count() >= 10
        assert not industry.filter(company__isnull=False).exists()
        assert not industry.filter(project__isnull=False).exists()
        indicators = set(industry.values_list("indicator__slug", flat=True))
        assert {"sector-csr-score", "esg-risk-events", "internet-penetration"} <= indicators
        assert {"digital-economy-size", "online-giving"} <= indicators

    def test_group_structure_links_units_to_their_group(self):
        parents = dict(Company.objects.values_list("slug", "parent__slug"))
        assert parents["amap"] == "alibaba"
        assert parents["cainiao"] == "alibaba"
        assert parents["freshippo"] == "alibaba"
        assert parents["wechat-pay"] == "tencent"
        assert parents["qingsong-charity"] == "qingsong-group"

    def test_partner_bodies_have_their_roles(self):
        partners = Company.objects.filter(partnerships__isnull=False).distinct()
        kinds = set(partners.values_list("kind", flat=True))
        assert {"government", "insurer", "ngo", "research"} <= kinds
        assert not Project.objects.filter(partnerships__role="").exists()

    def test_both_issue_vocabularies_are_kept_related_and_mapped_to_sdgs(self):
        """The report's chapter and table names for one concern are one issue with the other
        name kept (and its vocabulary); the rest stay related to each other."""
        chapters = SocialIssue.objects.filter(vocabulary=SocialIssue.Vocabulary.CHAPTER)
        table = SocialIssue.objects.filter(vocabulary=SocialIssue.Vocabulary.TABLE)
        assert chapters.count() == 8
        merged = IssueAlias.objects.filter(vocabulary=SocialIssue.Vocabulary.TABLE)
        assert {(alias.slug, alias.issue.slug) for alias in merged} == {
            ("elderly-society", "ageing-society"),
            ("social-relief", "social-assistance"),
            ("green-living", "green-consumption"),
        }
        assert table.count() + merged.count() == 8
        table_names = set(table.values_list("name_zh", flat=True))
        assert not {alias.name_zh for alias in merged} & table_names
        related = table.filter(parent__vocabulary=SocialIssue.Vocabulary.CHAPTER).count()
        related += table.filter(children__vocabulary=SocialIssue.Vocabulary.CHAPTER).count()
        assert related >= 2
        assert not SocialIssue.objects.filter(sdgs__isnull=True).exists()

    def test_every_issue_in_either_vocabulary_has_a_case(self):
        unused = SocialIssue.objects.exclude(vocabulary=SocialIssue.Vocabulary.CASEBOOK).filter(
            projects__isnull=True
        )
        assert list(unused.values_list("slug", flat=True)) == []

    def test_milestones_come_from_a_source(self):
        assert Milestone.objects.count() >= 20
        assert not Milestone.objects.filter(locator="").exists()


def test_slugs_are_unique_within_each_kind_of_record():
    slugs = Counter(
        (obj["model"], obj["fields"]["slug"])
        for _, obj in fixture_objects()
        if "slug" in obj["fields"]
    )
    assert [key for key, count in slugs.items() if count > 1] == []


def test_slugs_are_stable():
    """Slugs are public identifiers (URLs, natural keys, exports): none may disappear.

    A new record adds its slug to tests/data/dataset_slugs.txt; renaming or removing one is
    a deliberate edit of that file.
    """
    current = {
        f"{obj['model']} {obj['fields']['slug']}"
        for _, obj in fixture_objects()
        if "slug" in obj["fields"]
    }
    recorded = set(SLUG_SNAPSHOT.read_text(encoding="utf-8").split("\n")) - {""}
    assert sorted(recorded - current) == [], "slugs removed or renamed"
    assert sorted(current - recorded) == [], f"new slugs: add them to {SLUG_SNAPSHOT.name}"


def _squeeze(text):
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"source documents not found at {SEEDS}")
def test_descriptions_are_our_own_words_not_pasted_from_the_documents():
    documents = "\n".join(_squeeze(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt"))
    pasted = []
    for file_name, obj in fixture_objects():
        for name in OWN_WORDS_FIELDS:
            text = _squeeze(obj["fields"].get(name) or "")
            for start in range(len(text) - LONGEST_QUOTE + 1):
                if text[start : start + LONGEST_QUOTE + 1] in documents:
                    pasted.append(f"{file_name}: {obj['model']} {name}")
                    break
    assert pasted == []


def test_fixtures_are_readable_utf8_json_with_natural_keys():
    for path in CURATED_FIXTURES:
        text = Path(path).read_text(encoding="utf-8")
        assert "\\u" not in text, f"{path}: write Chinese as UTF-8, not escapes"
        for obj in json.loads(text):
            assert "pk" not in obj, f"{path}: {obj['model']} has a pk; use natural keys"
    assert settings.FIXTURE_DIRS
