"""Synthetic casebook data for benchmarks: grows a database holding the curated fixtures to a
chosen size with organisations (groups with subsidiaries, partner bodies), source documents,
cases with their issues, sources, partners and milestones, outcome figures (breakdowns,
cumulative, company-wide and industry-wide ones), editors' index assessments and the derived
levels, each record with its first history row and valid by the models' own rules.

    DJANGO_SETTINGS_MODULE=csrsite.settings DATABASE_URL=postgres://postgres@127.0.0.1/casebook \
        .venv/bin/python bench/synthetic.py --cases 10000 --figures 100000 --companies 500
    .venv/bin/python bench/synthetic.py --scale 100    # 100 × the curated cases, figures, companies

The database is migrated and loaded first (`manage.py load_curated fixtures/*.json`). From
another script: `build(cases, figures, companies, seed=0, say=print)`. One seed on the same
curated data gives the same records (slugs bench-case-00001 …). The build is one transaction:
if a sampled record fails validation, nothing is kept.
"""
# ruff: noqa: E402 (Django is set up before the casebook's modules are imported)

import argparse
import os
import random
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from functools import lru_cache
from math import floor, log10
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csrsite.settings")
import django
from django.apps import apps

if not apps.ready:
    django.setup()

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Prefetch
from django.db.models.signals import pre_save
from django.utils import translation

from cases import caching, impact
from cases.forms import wording_errors
from cases.models import (
    Assessment,
    Company,
    IndexIndicator,
    Indicator,
    Metric,
    Milestone,
    Partnership,
    Project,
    SocialIssue,
    Source,
    Unit,
)
from cases.models.reference import BUSINESS_KINDS
from cases.search import documents
from cases.wording import unit_spellings
from csrsite import database

BATCH = 1000
PREFIX = "bench-"
REASON = "synthetic benchmark data"
TODAY = date.today()


def pairs(text):
    """'云 Yun, 星 Xing' → [("云", "Yun"), ("星", "Xing")]: words in both languages."""
    return [tuple(item.strip().split(" ", 1)) for item in text.split(",")]


# A brand is a syllable of each list, 云帆 / Yunfan; a group's subsidiaries and cases share it.
FIRST = pairs(
    "云 Yun, 星 Xing, 禾 He, 悦 Yue, 知 Zhi, 远 Yuan, 青 Qing, 嘉 Jia, 朗 Lang, 安 An, 启 Qi, "
    "瑞 Rui, 拓 Tuo, 鲸 Jing, 蓝 Lan, 橙 Cheng, 木 Mu, 砚 Yan, 霖 Lin, 溪 Xi, 峰 Feng, 晨 Chen"
)
SECOND = pairs(
    "帆 fan, 途 tu, 行 xing, 联 lian, 数 shu, 智 zhi, 鸣 ming, 谷 gu, 象 xiang, 舟 zhou, 光 guang, "
    "芽 ya, 塘 tang, 阁 ge, 网 wang, 轩 xuan, 田 tian, 信 xin, 汇 hui, 景 jing, 源 yuan, 朵 duo"
)
KINDS = {  # kind of organisation: how often it occurs, how it is named after its brand
    "internet": (30, pairs("科技 Technology, 网络 Networks, 数字 Digital, 互动 Interactive")),
    "enterprise": (10, pairs("实业 Industries, 食品 Foods, 新能源 New Energy")),
    "social_enterprise": (4, pairs("社会企业 Social Enterprise, 工坊 Workshop")),
    "insurer": (4, pairs("保险 Insurance, 财险 Property & Casualty")),
    "ngo": (16, pairs("公益基金会 Charitable Foundation, 志愿服务中心 Volunteer Centre")),
    "government": (12, pairs("市民政局 Civil Affairs Bureau, 区乡村振兴局 Rural Bureau")),
    "research": (10, pairs("公益研究院 Institute of Philanthropy, 创新研究中心 Research Centre")),
    "association": (6, pairs("互联网协会 Internet Association, 慈善联合会 Charity Alliance")),
    "media": (8, pairs("传媒 Media, 日报 Daily")),
}
GROUP_UNITS = pairs("地图 Maps, 公益 Philanthropy, 健康 Health, 支付 Pay, 物流 Logistics, 云 Cloud")
MOTTOS = pairs(
    "青山 Green Hills, 暖阳 Warm Sun, 星火 Spark, 同行 Together, 点亮 Light Up, 微光 Glimmer, "
    "彩虹 Rainbow, 萤火 Firefly, 花开 Blossom, 晨曦 Dawn, 归途 Way Home, 灯塔 Lighthouse"
)
PROGRAMMES = pairs("计划 Programme, 行动 Campaign, 公益平台 Platform, 守护计划 Guardians")
OUTLETS = pairs("中国网 China.org.cn, 新华网 Xinhuanet, 澎湃新闻 The Paper, 界面新闻 Jiemian")
SOURCE_TITLES = {  # kind of source: its title from a company c, an issue i, a year y, a number n
    "company_report": ("{c.name_zh}{y}年社会责任报告", "{c.name_en} CSR Report {y}"),
    "news": ("{c.name_zh}探索{i.name_zh}新路径", "{c.name_en} tries new ways in {i.name_en}"),
    "report": ("{i.name_zh}社会创新观察{y}（{n}）", "Social Innovation in {i.name_en}, {y} ({n})"),
}
DETAILS = {  # what a detailed case says besides its summary, about its main issue t
    "goal": ("改善{t.name_zh}领域的现状。", "To improve {t.name_en}."),
    "practice": ("与合作方一起设计并推广服务。", "Designs and spreads the service with partners."),
    "innovation": ("把企业的技术能力用于社会问题。", "Puts technology to work on social problems."),
}  # fmt: skip
# How often cases use each mechanism, as in the curated cases.
MECHANISMS = {"product": 16, "platform": 8, "donation": 3, "social_enterprise": 1,
              "partnership": 3, "training": 2, "research": 2, "other": 3}  # fmt: skip
ROLES = {"government": ["government"], "ngo": ["funder", "implementer"],
         "research": ["academic"], "insurer": ["insurer"]}  # fmt: skip
OTHER_ROLES = ["co_initiator", "technology", "implementer", "other"]
MILESTONES = pairs(
    "项目启动试点 Pilot launched, 推出第二版服务 Second version launched, "
    "与地方政府签署合作协议 Agreement signed with a local government, "
    "服务扩展到新的省份 Service extended to new provinces, 获得行业公益奖项 Won a sector award"
)
# A figure's label from its indicator i and year y: few distinct ones, so tokens are reused.
LABELS = [("{i.name_zh}", "{i.name_en}"), ("{y}年{i.name_zh}", "{i.name_en} in {y}")]
PARTS = pairs("女性 women, 未成年人 minors, 老年人 older people, 农村地区 rural areas, 线上 online")
EVIDENCE = {0: ("来源文件没有相关内容。", "The sources say nothing about this."),
            1: ("来源文件有所提及，但不具体。", "The sources mention it, without detail."),
            2: ("来源文件写得具体明确。", "The sources state it clearly and in detail."),
            None: ("来源文件不足以判断。", "The sources give too little to judge.")}  # fmt: skip
# log10 of a figure's smallest and largest value by unit (others: 10^0.5 to 10^6); units of
# small counts by their largest value.
MAGNITUDE = {"人": (1, 8.5), "人次": (2, 9), "元": (4, 11.5), "城": (0, 2.5), "县": (0, 3.3),
             "%": (-0.5, 2), "分": (1, 2), "流量": (4, 8)}  # fmt: skip
SMALL = {"省": 34, "岁": 100, "小时": 24, "级": 10, "周": 52, "年": 40, "届": 30, "个月": 36}
# Qualifiers where documents put them: 超过100个, 530余人次, 100人以上.
BEFORE, TAIL, AFTER = ("超过", "超", "逾", "近", "接近", "约"), ("余", "多"), ("以上", "左右")
QUALIFIER_WEIGHTS = [64, 6, 6, 2, 4, 2, 4, 5, 3, 2, 2]
# Key facts are about one curated case (the oldest person Douyin found …), except these.
GENERIC_KEY_FACTS = {"editions-held", "programme-years-running"}
BREAKDOWN_CATEGORIES = {"people", "money", "organisations"}


class InvalidData(Exception):
    """A synthetic record broke a rule of the casebook."""


def slug(kind, number):
    return f"{PREFIX}{kind}-{number:05d}"


def some_date(rng, year, precision):
    """A date in `year` that claims no more than `precision` (`cases.dates.validate_precision`)."""
    if precision == "year":
        return date(year, 12, 31) if rng.random() < 0.7 else date(year, 1, 1)
    month = rng.randint(1, 12)
    return date(year, month, 1 if precision == "month" else rng.randint(1, 28))


def plain(number):
    return Decimal(format(Decimal(number).normalize(), "f"))


def rounded(value, digits):
    """`value` to `digits` significant digits."""
    step = Decimal(10) ** (floor(log10(value)) - digits + 1)
    return plain((Decimal(value) / step).to_integral_value() * step)


def amount(rng, unit):
    """A plausible value in `unit`, to one to four significant digits."""
    if unit.symbol in SMALL:
        low, high = 0, log10(SMALL[unit.symbol])
    else:
        low, high = MAGNITUDE.get(unit.symbol, (0.5, 6))
    value = rounded(10 ** rng.uniform(low, high), rng.randint(1, 4))
    if unit.kind in ("percent", "score"):
        return plain(round(min(value, 100), 2))
    return max(Decimal(1), value.to_integral_value())


def spell(rng, value):
    """`value` as a document writes it: 1403亿, 1.76万, 22,859, 7.92."""
    for word, size in (("亿", 10**8), ("万", 10**4)):
        if value >= size and (value * 100) % size == 0 and rng.random() < 0.8:
            return f"{plain(value / size)}{word}"
    if value == value.to_integral_value() and rng.random() < 0.5:
        return f"{int(value):,}"
    return str(plain(value))


def worded(rng, unit, value, cumulative, exact=False):
    """(original wording, qualifier) that `cases.wording` reads back as `value` in `unit`."""
    qualifier = "" if exact else rng.choices(["", *BEFORE, *TAIL, *AFTER], QUALIFIER_WEIGHTS)[0]
    if qualifier in TAIL and not (unit.is_count and value == value.to_integral_value()):
        qualifier = ""
    # Sorted: `Unit.spellings` orders words of one length as a set does, by each process's hash.
    number, unit_word = spell(rng, value), rng.choice([unit.symbol, *sorted(unit.spellings)])
    if unit.symbol == "人" and number[-1] in "万亿" and rng.random() < 0.3:
        unit_word = ""  # 156万: people counted in ten-thousands, with no measure word
    placed = {where: qualifier if qualifier in where else "" for where in (BEFORE, TAIL, AFTER)}
    text = f"{placed[BEFORE]}{number}{placed[TAIL]}{unit_word}{placed[AFTER]}"
    return ("累计" + text if cumulative and rng.random() < 0.3 else text), qualifier


def in_both_languages(choice):
    """A model choice's label in Chinese and in English."""
    labels = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            labels.append(str(choice.label))
    return labels


class Casebook:
    """What synthetic records are drawn from: the curated reference data, and `rng`."""

    def __init__(self, rng):
        self.rng = rng
        self.issues = list(SocialIssue.objects.order_by("slug"))
        uses = dict(Project.issues.through.objects.values_list("socialissue").annotate(Count("pk")))
        self.issue_weights = [1 + uses.get(issue.pk, 0) for issue in self.issues]
        self.indicators = {i.slug: i for i in Indicator.objects.select_related("unit")}
        used = list(Metric.objects.order_by("pk").values_list("indicator__slug", "industry_wide"))
        by_owners = [name for name, wide in used if not wide]
        self.industry_indicators = sorted({name for name, wide in used if wide} - set(by_owners))
        self.owner_indicators = sorted(
            name
            for name, indicator in self.indicators.items()
            if name not in self.industry_indicators
            and (not indicator.is_key_fact or name in GENERIC_KEY_FACTS)
        )
        self.owner_weights = [1 + by_owners.count(name) for name in self.owner_indicators]
        self.curated_companies = list(Company.objects.order_by("slug"))
        named = [*Company.objects.values_list("name_zh", "name_en")]
        named += Project.objects.values_list("name_zh", "name_en")
        self.names = {name for pair in named for name in pair}

    def new_name(self, make, *args):
        """`make(*args)` → (Chinese, English), drawn again until neither name is taken; numbered
        once the combinations run short."""
        for attempt in range(1000):
            zh, en = make(*args)
            if attempt >= 30:
                zh, en = f"{zh}{attempt}", f"{en} {attempt}"
            if zh not in self.names and en not in self.names:
                self.names |= {zh, en}
                return zh, en
        raise InvalidData(f"no free name like {zh} / {en}")

    def brand(self, suffix=("", "")):
        """A brand name, with `suffix` (Chinese, English) after it: 云帆科技 / Yunfan Technology."""
        (zh1, en1), (zh2, en2) = self.rng.choice(FIRST), self.rng.choice(SECOND)
        return zh1 + zh2 + suffix[0], f"{en1}{en2} {suffix[1]}".strip()


def make_companies(book, count):
    """Groups (a parent with 2–6 subsidiaries named after it) and independent organisations."""
    rng, made = book.rng, []

    def add(name, kind, parent=None):
        number = len(made) + 1
        website = f"https://{slug('company', number)}.example.com" if rng.random() < 0.4 else ""
        made.append(Company(
            slug=slug("company", number), name_zh=name[0], name_en=name[1], kind=kind,
            parent=parent, aliases=name[1].split()[0] if rng.random() < 0.3 else "",
            description_zh=f"{name[0]}是为性能测试虚构的机构。",
            description_en=f"{name[1]} is a fictional organisation for benchmarks.",
            website=website,
        ))  # fmt: skip
        return made[-1]

    def subsidiary(group, unit):
        brand = group.name_zh.removesuffix("集团"), group.name_en.removesuffix(" Group")
        return brand[0] + unit[0], f"{brand[1]} {unit[1]}"

    def independent(kind):
        return book.brand(rng.choice(KINDS[kind][1]))

    while len(made) < count:
        if count - len(made) >= 3 and rng.random() < 0.12:
            group = add(book.new_name(book.brand, ("集团", "Group")), "internet")
            for unit in rng.sample(GROUP_UNITS, min(rng.randint(2, 6), count - len(made))):
                add(book.new_name(subsidiary, group, unit), "internet", group)
        else:
            kind = rng.choices(list(KINDS), [weight for weight, _names in KINDS.values()])[0]
            add(book.new_name(independent, kind), kind)
    return made


def make_sources(book, count, companies):
    """Company reports, news articles and sector reports, published up to last year."""
    rng, made = book.rng, []
    for number in range(1, count + 1):
        kind = rng.choices(list(SOURCE_TITLES), [4, 4, 2])[0]
        year, company = rng.randint(2016, TODAY.year - 1), rng.choice(companies)
        issue = rng.choice(book.issues)
        title = [text.format(c=company, i=issue, y=year, n=number) for text in SOURCE_TITLES[kind]]
        publisher = rng.choice(OUTLETS) if kind == "news" else (company.name_zh, company.name_en)
        precision = rng.choices(["day", "month", "year"], [3, 5, 2])[0]
        # A document known to the year is dated 1 January, as the curated ones are.
        published_on = date(year, 1, 1) if precision == "year" else some_date(rng, year, precision)
        made.append(Source(
            slug=slug("source", number), kind=kind, title_zh=title[0], title_en=title[1],
            publisher_zh=publisher[0], publisher_en=publisher[1],
            published_on=published_on, published_precision=precision,
            url=f"https://example.org/news/{number}" if kind == "news" else "",
            language="en" if rng.random() < 0.05 else "zh-hans",
        ))  # fmt: skip
    return made


def case_name(rng, company, issue):
    """云帆青山计划 / Yunfan Green Hills Programme, or 云帆乡村振兴行动 / … Campaign."""
    programme_zh, programme_en = rng.choice(PROGRAMMES)
    motto_zh, motto_en = rng.choice([*MOTTOS, (issue.name_zh, issue.name_en)])
    brand_en = company.name_en.split()[0]
    return f"{company.name_zh[:2]}{motto_zh}{programme_zh}", f"{brand_en} {motto_en} {programme_en}"


def make_cases(book, count, leaders, sources):
    """Cases led by business companies (a few lead many), each with 1–3 issues and 1–2
    sources, about 5% drafts; with their issue and source links (rows of the m2m tables)."""
    rng, cases, issue_links, source_links = book.rng, [], [], []
    weights = [1 / rank**0.5 for rank in range(1, len(leaders) + 1)]
    for number in range(1, count + 1):
        company = rng.choices(leaders, weights)[0]
        issues = rng.choices(book.issues, book.issue_weights, k=rng.choice([1, 1, 1, 2, 2, 3]))
        issues = list(dict.fromkeys(issues))
        topic_zh, topic_en = issues[0].name_zh, issues[0].name_en.lower()
        name_zh, name_en = book.new_name(case_name, rng, company, issues[0])
        mechanism = rng.choices(list(MECHANISMS), MECHANISMS.values())[0]
        how_zh, how_en = in_both_languages(Project.Mechanism(mechanism))
        reach_zh, reach_en = rng.choice(
            [("面向全国", "across the country")] + [("在多地试点", "in pilot regions")] * 4
        )
        draft, detailed = rng.random() < 0.05, rng.random() < 0.7
        details = {
            f"{part}_{language}": text.format(t=issues[0]) if detailed else ""
            for part, texts in DETAILS.items()
            for language, text in zip(("zh", "en"), texts, strict=True)
        }
        precision = rng.choices(["", "year", "month", "day"], [20, 35, 35, 10])[0]
        launched = (
            some_date(rng, rng.randint(2008, TODAY.year - 2), precision) if precision else None
        )
        # Half the drafts lack the English summary that publishing requires.
        summary_en = f"{company.name_en}'s work on {topic_en} ({how_en}), {reach_en}."
        cases.append(Project(
            slug=slug("case", number), name_zh=name_zh, name_en=name_en, company=company,
            aliases=f"{company.name_zh[:2]}{topic_zh}" if rng.random() < 0.2 else "",
            launched_on=launched, launched_precision=precision, mechanism=mechanism,
            trigger=rng.choices(["", "planned", "incidental"], [6, 3, 1])[0],
            summary_zh=f"{company.name_zh}关注{topic_zh}的项目，方式为{how_zh}，{reach_zh}。",
            summary_en="" if draft and rng.random() < 0.5 else summary_en,
            status="draft" if draft else "published", **details,
        ))  # fmt: skip
        issue_links += [Project.issues.through(project=cases[-1], socialissue=i) for i in issues]
        for source in rng.sample(sources, rng.choice([1, 1, 1, 1, 2])):
            source_links.append(Project.sources.through(project=cases[-1], source=source))
    return cases, issue_links, source_links


def make_partnerships(book, cases, partners):
    """0–4 partners a case (never its lead company), each in a role its kind plays, most with
    the role told in words."""
    rng, made = book.rng, []
    for case in cases:
        chosen = rng.sample(partners, rng.choice([0, 0, 0, 1, 1, 1, 2, 2, 3, 4]))
        for partner in [company for company in chosen if company != case.company]:
            role = rng.choice(ROLES.get(partner.kind, OTHER_ROLES))
            zh, en = in_both_languages(Partnership.Role(role)) if rng.random() < 0.7 else ("", "")
            made.append(
                Partnership(project=case, company=partner, role=role, role_zh=zh, role_en=en)
            )
    return made


def make_milestones(book, cases, sources_of):
    """0–3 dated steps a case; one in ten is background from the year before the launch, which
    the model accepts only with a note saying why it belongs to the case."""
    rng, made = book.rng, []
    for case in cases:
        start = case.launched_on.year if case.launched_on else 2012
        for zh, en in rng.sample(MILESTONES, rng.choice([0, 0, 0, 1, 1, 1, 1, 2, 2, 3])):
            background = bool(case.launched_on) and rng.random() < 0.1
            year = start - 1 if background else rng.randint(start, TODAY.year - 1)
            precision = rng.choices(["year", "month", "day"], [4, 5, 1])[0]
            source = rng.choice(sources_of[case]) if rng.random() < 0.8 else None
            made.append(Milestone(
                project=case, happened_on=some_date(rng, year, precision), precision=precision,
                text_zh=zh, text_en=en, source=source,
                locator=f"第{rng.randint(1, 60)}页" if source else "",
                note_zh="背景：项目启动前的相关工作。" if background else "",
                note_en="Background: the work that led to it." if background else "",
            ))  # fmt: skip
    return made


def figure_fields(book, source, indicator, case=None, company=None, reported_with=None):
    """A figure as `source` states it, dated when the document was (its date inferred) or up
    to three years before; a case's, a company's, or (with neither) the whole sector's."""
    rng, unit = book.rng, indicator.unit
    cumulative = unit.kind in ("count", "money") and rng.random() < 0.35
    inferred = rng.random() < 0.2
    year = source.published_on.year - (0 if inferred else rng.randint(1, 3))
    precision = rng.choices(["year", "month", "day"], [55, 40, 5])[0]
    as_of = some_date(rng, year, precision)
    if inferred:
        as_of, precision = source.published_on, source.published_precision
    in_period = not (cumulative or inferred) and precision == "year" and rng.random() < 0.2
    value, value_high = amount(rng, unit), None
    if unit.is_percent and value < 90 and rng.random() < 0.03:  # a range: 2%-5%
        value = Decimal(round(value))
        value_high = value + rng.randint(1, 10)
        wording, qualifier = f"{value}%-{value_high}%", ""
    else:
        wording, qualifier = worded(rng, unit, value, cumulative)
    owned = bool(case or company)
    label = rng.choice(LABELS) if owned else ("全国{i.name_zh}", "{i.name_en}, nationwide")
    label_zh, label_en = (text.format(i=indicator, y=year) for text in label)
    page, noted = rng.randint(1, 80), rng.random() < 0.25
    return {
        "project": case, "company": company, "reported_with": reported_with,
        "industry_wide": not owned, "indicator": indicator, "unit": unit,
        "label_zh": label_zh, "label_en": label_en, "original_wording": wording,
        "value": value, "value_high": value_high, "qualifier": qualifier, "cumulative": cumulative,
        "as_of": date(year, 12, 31) if in_period else as_of, "as_of_precision": precision,
        "as_of_inferred": inferred,
        "period_start": date(year, 1, 1) if in_period else None,
        "period_end": date(year, 12, 31) if in_period else None,
        "source": source, "locator": f"第{page}页", "locator_en": f"p. {page}",
        "wording_context": f"{label_zh}达{wording}" if rng.random() < 0.05 else "",
        "note_zh": "原文未写统计口径，按字面记录。" if noted else "",
        "note_en": "The document does not say how it was counted." if noted else "",
    }  # fmt: skip


def breakdown(book, total, part):
    """The fields of a part (其中：女性 …) of the figure whose fields are `total`: a share of
    its value, with its owner, indicator, as-of date and source, as the model requires."""
    rng, unit = book.rng, total["unit"]
    value = max(Decimal(1), rounded(total["value"] * rng.randint(5, 30) / 100, 2))
    value = value.to_integral_value() if unit.is_count else value
    wording, _qualifier = worded(rng, unit, value, total["cumulative"], exact=True)
    return {
        **total, "label_zh": f"其中：{part[0]}", "label_en": f"Of which: {part[1]}",
        "value": value, "qualifier": "", "original_wording": wording, "wording_context": "",
        "note_zh": "为总数中的一部分，不要与总数相加。",
        "note_en": "Part of the total; not to be added to it.",
    }  # fmt: skip


def make_figures(book, count, cases, sources_of, sources):
    """Figures of cases (most; a few cases have many), of their companies or groups, mostly
    reported with a case (1 in 8), of the sector (1 in 25), and breakdowns of totals (1 in 20)."""
    rng, drawn = book.rng, []
    if not (count and cases):
        return [], []
    n_parts, n_company = count // 20, count // 8
    n_industry = count // 25 if book.industry_indicators else 0
    weights = [rng.lognormvariate(0, 1) for _ in cases]

    def indicator():
        return book.indicators[rng.choices(book.owner_indicators, book.owner_weights)[0]]

    for case in rng.choices(cases, weights, k=count - n_parts - n_industry - n_company):
        source = rng.choice(sources_of[case])
        drawn.append(figure_fields(book, source, indicator(), case=case, company=case.company))
    for case in rng.choices(cases, weights, k=n_company):
        company = rng.choice([case.company, case.company.parent or case.company])
        reported_with = case if rng.random() < 0.8 else None
        source = rng.choice(sources_of[case])
        drawn.append(
            figure_fields(book, source, indicator(), company=company, reported_with=reported_with)
        )
    for _ in range(n_industry):
        industry = book.indicators[rng.choice(book.industry_indicators)]
        drawn.append(figure_fields(book, rng.choice(sources), industry))
    totals = [Metric(slug=slug("figure", n), **fields) for n, fields in enumerate(drawn, 1)]
    divisible = [
        (total, fields)
        for total, fields in zip(totals, drawn, strict=True)
        if fields["indicator"].category in BREAKDOWN_CATEGORIES
        and not fields["industry_wide"]
        and fields["value"] >= 100
        and fields["value_high"] is None
    ]
    parts = []
    for total, fields in rng.sample(divisible, len(divisible)):
        for part in rng.sample(PARTS, rng.randint(2, 3))[: n_parts - len(parts)]:
            number = len(totals) + len(parts) + 1
            parts.append(
                Metric(slug=slug("figure", number), part_of=total, **breakdown(book, fields, part))
            )
        if len(parts) >= n_parts:
            break
    return totals, parts


def make_assessments(book, cases, sources_of):
    """Editors' assessments of three in ten published cases on every indicator editors assess,
    some quoting a source; most confirmed, the rest awaiting review."""
    rng, made = book.rng, []
    indicators = list(IndexIndicator.objects.filter(method="assessed").order_by("slug"))
    for case in [case for case in cases if case.is_public and rng.random() < 0.3]:
        for indicator in indicators:
            level = rng.choices([0, 1, 2, None], [5, 40, 50, 5])[0]
            source = rng.choice(sources_of[case]) if level and rng.random() < 0.4 else None
            made.append(Assessment(
                project=case, indicator=indicator, level=level,
                evidence_zh=EVIDENCE[level][0], evidence_en=EVIDENCE[level][1],
                quotation=case.summary_zh[:30] if source else "", source=source,
                locator=f"第{rng.randint(1, 60)}页" if source else "",
                status=rng.choices(["confirmed", "proposed"], [85, 15])[0],
            ))  # fmt: skip
    return made


def derive_levels(case_ids):
    """The index levels that follow from the cases' data, as `impact.refresh` stores them after
    a save, by its derivations, but inserted in bulk (it saves one row at a time)."""
    indicators = [i for i in IndexIndicator.objects.in_order() if i.is_derived]
    figures = Prefetch("metrics", Metric.objects.defer(*documents.FIELDS))  # unread, and long
    made = []
    for start in range(0, len(case_ids), 500):
        cases = Project.objects.filter(pk__in=case_ids[start : start + 500]).order_by("pk")
        batch = []
        for case in impact.cases_for_deriving(cases.prefetch_related(figures)):
            for indicator in indicators:
                finding = impact.DERIVATIONS[indicator.method](case)
                assessment = Assessment(
                    project_id=case.pk, indicator=indicator, derived=True, status="confirmed",
                    **asdict(finding),
                )  # fmt: skip
                assessment._change_reason = f"derived: {finding.evidence_en}"[:100]
                batch.append(assessment)
        made += save_all(batch)
    return made


def save_all(objects):
    """Insert `objects` (all of one model) as saving each would: its `pre_save` receivers first
    (pinyin sort key, search document), then the row, then its first history row."""
    if not objects:
        return objects
    model = type(objects[0])
    for record in objects:
        pre_save.send(sender=model, instance=record, raw=False, using="default", update_fields=None)
    model.objects.bulk_create(objects, batch_size=BATCH)
    model.history.bulk_history_create(objects, batch_size=BATCH, default_change_reason=REASON)
    return objects


@contextmanager
def remembered_tokens():
    """Remember what `cases.search.documents`' token functions return while building: they are
    pure, and the names of a company, a case or an indicator recur in thousands of documents
    (a figure's document takes 0.4–1.6 ms without this)."""
    originals = documents.name_tokens, documents.text_tokens
    documents.name_tokens, documents.text_tokens = (
        lru_cache(maxsize=None)(lambda text, tokens=tokens: frozenset(tokens(text)))
        for tokens in originals
    )
    try:
        yield
    finally:
        documents.name_tokens, documents.text_tokens = originals


def set_statement_timeout(setting):
    """PostgreSQL's statement_timeout for this connection, e.g. 0 (none) or DEFAULT."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout TO {setting}")


@contextmanager
def without_time_limits(seconds=3600):
    """Lift the site's limits on this connection while building: they are for pages (a 5 s
    statement_timeout, a 6 s wait in `csrsite.database`), and on a busy machine a batch of
    figures, or the commit of 100,000 of them, can take longer."""
    with database.timeout(seconds):
        set_statement_timeout(0)
        try:
            yield
        finally:
            set_statement_timeout("DEFAULT")


@contextmanager
def step(say, what):
    """Say how long `what` took, on the clock and in this process's CPU (the rest is the
    database's work, or waiting for a busy machine)."""
    started, cpu = time.perf_counter(), time.process_time()
    yield
    say(f"{what}: {time.perf_counter() - started:.1f} s ({time.process_time() - cpu:.1f} s CPU)")


def validate(rng, made, size=200):
    """`full_clean()` on `size` records of each kind made, read back from the database; figures
    also checked against their wording, published cases against the publishing rule."""
    spellings = unit_spellings(Unit.objects.all())
    for label, objects in made.items():
        model = type(objects[0])
        sample = [record.pk for record in rng.sample(objects, min(size, len(objects)))]
        for record in model.objects.filter(pk__in=sample).order_by("pk"):
            try:
                record.full_clean()
                errors = wording_errors(record, spellings) if model is Metric else {}
                if model is Project and record.is_public:
                    errors = record.publishable_errors()
                if errors:
                    raise ValidationError(errors)
            except ValidationError as error:
                raise InvalidData(f"{label}: {record} (pk {record.pk}): {error}") from error


def check_as_saved(rng, made, size=5):
    """Save a few records of each searchable kind again as an editor would, and refresh a few
    cases' derived levels, in a savepoint rolled back afterwards: nothing filled on save
    (search documents, pinyin sort keys, derived index levels) may change."""
    fields = ["name_sort", "search_name_tokens", "search_tokens", "search_related_tokens"]
    with transaction.atomic():
        # Figures and cases first: saving a case or a company also refreshes their documents.
        for label in ("figures", "cases", "sources", "companies"):
            for record in rng.sample(made.get(label, []), min(size, len(made.get(label, [])))):
                record = type(record).objects.get(pk=record.pk)
                stored = {name: getattr(record, name) for name in fields if hasattr(record, name)}
                record.save()
                record.refresh_from_db()
                if stored != {name: getattr(record, name) for name in stored}:
                    raise InvalidData(f"{label}: saving {record} fills its documents differently")
        cases = [case.pk for case in made.get("cases", [])[:size]]
        derived = Assessment.objects.filter(project__in=cases, derived=True).order_by("pk")
        levels = derived.values_list("pk", "level", "evidence_zh", "evidence_en")
        before = list(levels)
        impact.refresh(Project.objects.filter(pk__in=cases))
        if before != list(levels.all()):
            raise InvalidData("derived index levels differ from what impact.refresh stores")
        transaction.set_rollback(True)


def build(cases, figures, companies, seed=0, say=print):
    """Add `companies` organisations, `cases` cases and `figures` figures to the database, with
    sources, partners, milestones and index assessments in proportion, then validate a sample.
    Returns {kind: number made}."""
    if Company.objects.filter(slug__startswith=PREFIX).exists():
        raise InvalidData("The database already holds synthetic data: build into a fresh one.")
    if figures and not cases:
        raise InvalidData("Figures belong to cases: add at least one case.")
    rng, started, made = random.Random(seed), time.perf_counter(), {}
    with without_time_limits(), transaction.atomic():
        with remembered_tokens():
            book = Casebook(rng)
            with step(say, f"{companies} companies"):
                made["companies"] = make_companies(book, companies)
                for in_group in (False, True):  # groups before their subsidiaries
                    save_all([c for c in made["companies"] if (c.parent is not None) == in_group])
            # Businesses lead cases; the curated ones only when no new one can.
            leaders = [c for c in made["companies"] if c.kind in BUSINESS_KINDS] or [
                c for c in book.curated_companies if c.kind in BUSINESS_KINDS
            ]
            with step(say, "sources"):
                sources = make_sources(book, max(20, min(400, cases // 25)), leaders)
                made["sources"] = save_all(sources)
            with step(say, f"{cases} cases"):
                made["cases"], issue_links, source_links = make_cases(book, cases, leaders, sources)
                save_all(made["cases"])
                Project.issues.through.objects.bulk_create(issue_links, batch_size=BATCH)
                Project.sources.through.objects.bulk_create(source_links, batch_size=BATCH)
                # As `case.issues.add()` does (`issues_changed`): the documents name the issues.
                documents.refresh(
                    Project.objects.filter(slug__startswith=PREFIX)
                    .select_related("company__parent")
                    .prefetch_related("issues__other_names")
                )
            sources_of = {}
            for link in source_links:
                sources_of.setdefault(link.project, []).append(link.source)
            with step(say, "partners and milestones"):
                partners = book.curated_companies + made["companies"]
                made["partnerships"] = save_all(make_partnerships(book, made["cases"], partners))
                made["milestones"] = save_all(make_milestones(book, made["cases"], sources_of))
            with step(say, f"{figures} figures"):
                totals, parts = make_figures(book, figures, made["cases"], sources_of, sources)
                made["figures"] = save_all(totals) + save_all(parts)
            with step(say, "index assessments"):
                made["assessments"] = save_all(make_assessments(book, made["cases"], sources_of))
                made["derived levels"] = derive_levels([case.pk for case in made["cases"]])
        with step(say, "validation"), translation.override("en"):
            made = {label: objects for label, objects in made.items() if objects}
            validate(rng, made)
            check_as_saved(rng, made)
    caching.renew_data_version()
    counts = {label: len(objects) for label, objects in made.items()}
    say(
        f"built in {time.perf_counter() - started:.1f} s: "
        + ", ".join(f"{n} {label}" for label, n in counts.items())
    )
    for model in (Company, Source, Project, Partnership, Milestone, Metric, Assessment):
        say(f"{model.__name__} in all: {model.objects.count()}")
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, help="cases to add, e.g. 10000")
    parser.add_argument("--figures", type=int, help="figures to add, e.g. 100000")
    parser.add_argument("--companies", type=int, help="organisations to add, e.g. 500")
    parser.add_argument("--scale", type=float, help="F × the curated count of each not given")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sizes = [args.cases, args.figures, args.companies]
    if args.scale:
        curated = [
            m.objects.exclude(slug__startswith=PREFIX).count() for m in (Project, Metric, Company)
        ]
        sizes = [
            size if size is not None else round(args.scale * n)
            for size, n in zip(sizes, curated, strict=True)
        ]
    if None in sizes:
        parser.error("give --cases, --figures and --companies, or --scale")
    try:
        build(*sizes, seed=args.seed)
    except InvalidData as error:
        sys.exit(f"Nothing was added. {error}")


if __name__ == "__main__":
    main()
