import datetime
import importlib
import json
import os
import sys
from contextlib import contextmanager
from decimal import Decimal
from functools import partial
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import translation

from cases.models import SDG, Company, Indicator, Metric, Project, SocialIssue, Source, Unit

pytest_plugins = ["tests.browser"]

REQUIRE_POSTGRES = os.environ.get("CSR_REQUIRE_POSTGRES") == "1"
REQUIRE_REDIS = os.environ.get("CSR_REQUIRE_REDIS") == "1"
REDIS_URL = os.environ.get("CSR_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def pytest_runtest_setup(item):
    """PostgreSQL-only tests skip elsewhere; CI sets CSR_REQUIRE_POSTGRES=1 to make the skip
    a failure, so a misconfigured CI run cannot pass quietly."""
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        message = f"needs PostgreSQL (DATABASE_URL=postgres://…); this run uses {connection.vendor}"
        if REQUIRE_POSTGRES:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@pytest.fixture
def redis_url():
    """A Redis database for tests of the shared cache, emptied before and after; skipped
    without a Redis server unless CSR_REQUIRE_REDIS=1 (CI) makes that a failure."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    except redis.ConnectionError as error:
        message = f"needs Redis at {REDIS_URL} (CSR_TEST_REDIS_URL): {error}"
        if REQUIRE_REDIS:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    yield REDIS_URL
    client.flushdb()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Pages render without running collectstatic first (production uses the manifest)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_data_releases(settings, tmp_path_factory):
    """Each test starts with no data release published (a releases folder that does not
    exist), whatever `releases/` holds; a test about releases builds its own."""
    settings.CASEBOOK_RELEASES_DIR = tmp_path_factory.getbasetemp() / "no-releases"


# Django's default hasher spends about a third of a second on each password here, by design;
# the tests hash and check thousands. Production's hashers are kept where a password crosses
# into another process (see `production_password_hashing`) and checked in test_settings.py.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS + settings.PASSWORD_HASHERS


@pytest.fixture
def production_password_hashing(settings):
    """Hash passwords as production does, for a password checked by another process (a
    restored backup read by `manage.py`, a server started as a subprocess)."""
    settings.PASSWORD_HASHERS = [
        hasher for hasher in settings.PASSWORD_HASHERS if hasher not in FAST_PASSWORD_HASHERS
    ]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with nothing cached, as a freshly started server does."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _pages_computed(settings):
    """Views are tested as they compute their pages (and their context); whole pages kept in
    the cache for anonymous readers are tested in test_page_cache.py and on the production
    server."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Chinese: a request to an /en/ page leaves English active in the
    thread, which would otherwise make the next test's reverse() produce /en/ paths."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


CASEBOOK = str(Path(__file__).resolve().parent / "data" / "casebook.json")
CURATED_FIXTURES = sorted(str(path) for path in Path(settings.FIXTURE_DIRS[0]).glob("*.json"))


def load_for_module(django_db_blocker, *fixtures):
    """Load `fixtures` with the curated-data loader for one test module, then empty the
    database. Each test still runs in its own rolled-back transaction on top of them."""
    with django_db_blocker.unblock():
        call_command("load_curated", *fixtures, verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        restore_roles()


@pytest.fixture(scope="module")
def casebook(django_db_setup, django_db_blocker):
    """A small casebook made for the tests (tests/data/casebook.json), with the curated
    records' slugs: eight cases led by ByteDance's Douyin, Alibaba and its subsidiary Amap,
    Meituan, and Tencent and its subsidiary WeChat Pay (one a draft with figures, one without
    figures), their partners, milestones and figures (a total with its breakdowns, a measure
    at three dates, figures in 人 and in 人次), and sector-wide figures at two dates."""
    yield from load_for_module(django_db_blocker, CASEBOOK)


@pytest.fixture(scope="module")
def curated_data(django_db_setup, django_db_blocker):
    """Every curated fixture in fixtures/, for tests about the curated data itself."""
    yield from load_for_module(django_db_blocker, *CURATED_FIXTURES)


def restore_roles():
    """Put back the editor and viewer groups, which flushing removes with all other rows, as
    the migrations made them."""
    from django.apps import apps

    latest = importlib.import_module("cases.migrations.0012_search_documents")
    latest.grant_synonym_permissions(apps, None)


def make_people():
    return Unit.objects.create(
        symbol="人", name_zh="人", name_en="people", name_en_singular="person", kind="count"
    )


def make_report():
    return Source.objects.create(
        slug="csi-report-2024",
        title_zh="互联网企业社会创新观察报告 2024",
        title_en="Observation Report on Social Innovation by Internet Companies 2024",
        kind="report",
        published_on=datetime.date(2024, 7, 1),
        published_precision="month",
        file_name="002_968845a14dee4877.txt",
    )


def make_douyin():
    return Company.objects.create(
        slug="douyin-group", name_zh="抖音集团", name_en="Douyin Group", kind="internet"
    )


def make_social_assistance():
    issue = SocialIssue.objects.create(
        slug="social-assistance", name_zh="社会救助", name_en="Social assistance"
    )
    issue.sdgs.add(SDG.objects.create(number=1, name_zh="无贫穷", name_en="No Poverty"))
    return issue


def make_xunren(douyin, social_assistance, report):
    project = Project.objects.create(
        slug="douyin-xunren",
        name_zh="抖音寻人",
        name_en="Douyin Missing Person Alerts",
        company=douyin,
        launched_on=datetime.date(2016, 2, 1),
        launched_precision="month",
        mechanism="product",
        summary_zh="按位置推送寻人信息。",
        summary_en="Location-targeted missing-person alerts.",
        status="published",
    )
    project.issues.add(social_assistance)
    project.sources.add(report)
    return project


def make_reunited(people):
    return Indicator.objects.create(
        slug="people-reunited",
        name_zh="帮助团圆人数",
        name_en="People reunited",
        category="people",
        unit=people,
    )


def figure_fields(xunren, reunited, people, report):
    """Everything a valid figure needs; tests change one thing at a time."""
    return {
        "slug": "douyin-xunren-people-reunited",
        "project": xunren,
        "indicator": reunited,
        "label_zh": "累计帮助团圆人数",
        "label_en": "People reunited (cumulative)",
        "value": Decimal("22859"),
        "unit": people,
        "cumulative": True,
        "as_of": datetime.date(2024, 6, 13),
        "as_of_precision": "day",
        "source": report,
        "locator": "第三部分（二）社会价值成果，第20页",
        "original_wording": "22,859人",
    }


def make_figure(fields):
    figure = Metric(**fields)
    figure.full_clean()
    figure.save()
    return figure


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def report(db):
    return make_report()


@pytest.fixture
def douyin(db):
    return make_douyin()


@pytest.fixture
def social_assistance(db):
    return make_social_assistance()


@pytest.fixture
def xunren(douyin, social_assistance, report):
    return make_xunren(douyin, social_assistance, report)


@pytest.fixture
def reunited(people):
    return make_reunited(people)


@pytest.fixture
def metric_fields(xunren, reunited, people, report):
    return figure_fields(xunren, reunited, people, report)


@pytest.fixture
def metric(metric_fields):
    return make_figure(metric_fields)


def build_index_framework(source):
    """The index's dimensions and indicators as the curated fixture defines them, citing
    `source`."""
    from cases.models import IndexDimension, IndexIndicator

    records = json.loads((Path(settings.FIXTURE_DIRS[0]) / "30_index_framework.json").read_text())
    dimensions = {}
    for record in records:
        fields = record["fields"]
        if record["model"] == "cases.indexdimension":
            dimensions[fields["slug"]] = IndexDimension.objects.create(**fields)
        else:
            IndexIndicator.objects.create(
                **{
                    **fields,
                    "dimension": dimensions[fields["dimension"][0]],
                    "source": source,
                }
            )


@pytest.fixture
def index_framework(report):
    build_index_framework(report)


def publish_cases(count, *, xunren, people, reunited, report, douyin):
    """Publish `count` cases like 抖音寻人 (抖音寻人 itself the first): each with its issue,
    a figure, a milestone, a partner, three confirmed index assessments and the derived ones
    (enough to be ranked), split between ByteDance and its subsidiary Douyin Group; return how
    many cases are published."""
    from cases import impact
    from cases.models import Assessment, IndexIndicator, Milestone, Partnership

    # With the derived levels, enough assessed indicators for every case to be ranked.
    assessed = list(
        IndexIndicator.objects.filter(slug__in=["csr-statement", "operating-goal", "own-identity"])
    )
    group = Company.objects.create(
        slug="bytedance", name_zh="字节跳动", name_en="ByteDance", kind="internet"
    )
    douyin.parent = group
    douyin.save()
    partner = Company.objects.create(slug="mca", name_zh="民政部", name_en="MCA", kind="government")
    issue = xunren.issues.get()
    for number in range(count - 1):
        case = Project.objects.create(
            slug=f"case-{number}",
            name_zh=f"案例{number}",
            name_en=f"Case {number}",
            company=group if number % 2 else douyin,
            launched_on=datetime.date(2010 + number % 15, 1, 1),
            launched_precision="year",
            trigger="planned",
            mechanism="platform",
            summary_zh="摘要",
            summary_en="Summary",
            status="published",
        )
        case.issues.add(issue)
        case.sources.add(report)
        Metric.objects.create(
            slug=f"case-{number}-figure",
            project=case,
            company=case.company,
            indicator=reunited,
            label_zh="人数",
            label_en="People",
            value=Decimal(100 + number),
            unit=people,
            as_of=datetime.date(2023, 12, 31),
            as_of_precision="year",
            source=report,
            locator="p. 1",
            original_wording=f"{100 + number}人",
        )
        Milestone.objects.create(
            project=case,
            happened_on=datetime.date(2011, 1, 1),
            precision="year",
            text_zh="启动",
            text_en="Launched",
            source=report,
        )
        Partnership.objects.create(project=case, company=partner, role="government")
        for indicator in assessed:
            Assessment.objects.create(
                project=case,
                indicator=indicator,
                level=2,
                evidence_zh="证据",
                evidence_en="Evidence",
                status="confirmed",
            )
    impact.refresh()
    return Project.objects.published().count()


@pytest.fixture
def many_cases(xunren, metric, people, reunited, report, douyin, index_framework):
    """`many_cases(n)` publishes n cases like 抖音寻人 (see `publish_cases`), to pin query
    counts at 3 and at 30 cases."""
    return partial(
        publish_cases, xunren=xunren, people=people, reunited=reunited, report=report, douyin=douyin
    )


@contextmanager
def kept_for_module(django_db_blocker, build):
    """The records `build()` makes (and its result), kept for a whole test module in a
    transaction rolled back after it, as Django's `TestCase.setUpTestData` keeps them for a
    class: each of the module's tests runs in a savepoint inside it and rolls back to it. For
    modules of many tests that only read the same records (the query counts at 3 and 30 cases)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            made = build()
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    try:
        yield made
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def cases_for_module(request, django_db_setup, django_db_blocker):
    """What `many_cases(n)` makes, made once for the module's tests that take it (n is the
    parameter, with `indirect=True`) and gone after them; returns the published count."""
    with kept_for_module(django_db_blocker, partial(make_many_cases_world, request.param)) as made:
        yield made


def make_many_cases_world(count):
    """`publish_cases(count)` with everything it builds on (抖音寻人, its figure, the index)."""
    people, report = make_people(), make_report()
    douyin, reunited = make_douyin(), make_reunited(people)
    xunren = make_xunren(douyin, make_social_assistance(), report)
    make_figure(figure_fields(xunren, reunited, people, report))
    build_index_framework(report)
    return publish_cases(
        count, xunren=xunren, people=people, reunited=reunited, report=report, douyin=douyin
    )


def staff_member(username, role):
    """A staff account in one of the roles the migrations create ("editors", "viewers"), with
    the password PASSWORD and an authenticator app set up (see `current_code`)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", PASSWORD, is_staff=True
    )
    if not Group.objects.filter(name=role).exists():
        restore_roles()  # a transactional test before this one flushed the groups
    user.groups.add(Group.objects.get(name=role))
    authenticator_app(user)
    return user


PASSWORD = "correct horse battery staple"


def authenticator_app(user):
    """The account's confirmed TOTP device, set up if it has none: its phone, for tests."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator app")


def current_code(user):
    """The code the account's app shows now. Each code works once, so the device is told to
    forget the last one it took (and any wrong tries): a test may sign in twice a minute."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = authenticator_app(user)
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def sign_in(client, user):
    """Sign `user` in on the test client with both factors, as the admin asks of staff."""
    import time

    from django_otp import DEVICE_ID_SESSION_KEY

    from csrsite import idle

    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_app(user).persistent_id
    session[idle.SEEN] = int(time.time())  # just signed in: the idle time starts now
    session.save()
    return client


@pytest.fixture
def editor(db):
    """Mei, an editor: adds and changes cases and figures, publishes."""
    return staff_member("mei", "editors")


@pytest.fixture
def viewer(db):
    """Wang, a viewer: reads the admin, changes nothing."""
    return staff_member("wang", "viewers")


@pytest.fixture
def reviewer(db):
    """Zhao, an editor who may also confirm the index assessments others propose."""
    from django.contrib.auth.models import Group

    user = staff_member("zhao", "editors")
    user.groups.add(Group.objects.get(name="reviewers"))
    return user


@pytest.fixture
def editor_client(editor):
    """A browser session of Mei's (its own, so a test can hold a viewer's beside it)."""
    return sign_in(Client(), editor)


@pytest.fixture
def viewer_client(viewer):
    return sign_in(Client(), viewer)
