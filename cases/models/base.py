"""What every casebook model shares: ASCII slugs, natural keys for fixtures, and
bilingual fields read in the active language."""

import functools
import re
from collections import Counter

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.encoding import force_str
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..dates import is_chinese

ascii_slug = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z",
    _("Use lower-case ASCII letters, digits and single hyphens, e.g. douyin-missing-persons."),
    code="invalid_slug",
)


def slug_field(**kwargs):
    return models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        validators=[ascii_slug],
        help_text=_("Stable ASCII identifier used in URLs and fixtures, e.g. douyin-xunren."),
        **kwargs,
    )


class Translated:
    """A field read in the active language: `summary = Translated()` gives `summary_zh` in
    Chinese and `summary_en` in English, Chinese where no translation has been written yet.
    `Translated("role")` names the fields' stem when the attribute's own name is taken."""

    def __init__(self, base=None):
        self.base = base

    def __set_name__(self, owner, name):
        self.base = self.base or name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return localized(instance, self.base)


def localized(record, base, language=None):
    """`record`'s `<base>_zh` or `<base>_en` for `language` (by default the active one)."""
    chinese_value = getattr(record, f"{base}_zh")
    if is_chinese(language):
        return chinese_value
    return getattr(record, f"{base}_en") or chinese_value


class Bilingual:
    """A record named in both languages (`name_zh`, `name_en`), read as `name`."""

    name = Translated()


def locator_field():
    """Where in its document a record was found, in English (`locator` is as the document's
    language has it)."""
    return models.CharField(
        _("locator (English)"),
        max_length=300,
        blank=True,
        help_text=_("e.g. Part 3 (2) Social assistance: Douyin Missing Person Alerts, p. 20"),
    )


class Located:
    """A record with a `locator` and its English `locator_en`, read as `locator_display`."""

    @property
    def locator_display(self):
        """The locator in the active language; as written where no English one is given."""
        if is_chinese() or not self.locator_en:
            return self.locator
        return self.locator_en


def split_aliases(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def ranked(records):
    """(record, how often it occurs) pairs, most frequent first, then by English name."""
    counts = Counter(records)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].name_en))


def field_error(field, message, code):
    """A ValidationError on one form field, keeping its code for tests and API clients."""
    return ValidationError({field: ValidationError(message, code=code)})


def refuse_parent_cycle(instance, message):
    """Refuse a `parent` chain that leads back to `instance`."""
    seen = set()
    ancestor = instance.parent
    while ancestor is not None and ancestor.pk not in seen:
        if instance.pk is not None and ancestor.pk == instance.pk:
            raise field_error("parent", message, "parent_cycle")
        seen.add(ancestor.pk)
        ancestor = ancestor.parent


class Versioned(models.Model):
    """A record that counts its saves, so that an edit form opened before someone else saved
    can be refused instead of silently overwriting their change (see `cases.forms`)."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)

    def _get_FIELD_display(self, field):
        # What `get_<field>_display()` calls. Django's builds a dict of the field's choices
        # on every call, hashing each lazy label (a translation lookup apiece): 12,000 of
        # them for the companies page. The same labels, looked up in a dict built once.
        value = getattr(self, field.attname)
        return force_str(choice_labels(field).get(value, value), strings_only=True)


# A slug as the URLs' <slug:…> converter takes it: nothing in it needs quoting.
URL_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
SLUG_SLOT = "--slug--"


def slug_url(name, slug):
    """`reverse(name, args=[slug])` for a URL that takes one slug, at a fraction of the cost:
    the URL is reversed once per language, script prefix and URLconf, and the slug put in
    its place. A page listing hundreds of records asks for hundreds of their URLs."""
    if not URL_SLUG.fullmatch(slug):
        return reverse(name, args=[slug])
    return _url_with_slot(name, get_language(), get_script_prefix(), get_urlconf()).replace(
        SLUG_SLOT, slug
    )


@functools.lru_cache(maxsize=512)
def _url_with_slot(name, language, prefix, urlconf):
    return reverse(name, args=[SLUG_SLOT], urlconf=urlconf)


@functools.cache
def choice_labels(field):
    """{value: label} of a field's choices (the labels left lazy, so each reads in the
    language active when it is shown)."""
    return dict(field.flatchoices)


class EditHistory(HistoricalRecords):
    """django-simple-history's records, reachable from the model as `edit_history` so that
    the fixture loader can write one history row per loaded record."""

    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        cls.edit_history = self

    def finalize(self, sender, **kwargs):
        # Exclude only the model's own fields: django-simple-history looks each excluded name
        # up when it reverts, so a name the model lacks (a search document) would break it.
        if sender is getattr(self, "cls", None):
            names = {field.name for field in sender._meta.local_fields}
            self.excluded_fields = [name for name in self.excluded_fields if name in names]
        super().finalize(sender, **kwargs)


def edit_history(**kwargs):
    """History for an edited model; the save counter is left out, since every edit changes
    it and each edit has its own history row anyway, and so are search documents."""
    kwargs["excluded_fields"] = [
        "version",
        # Search documents are derived from the other fields (`cases.search.documents`).
        "search_name_tokens",
        "search_tokens",
        "search_related_tokens",
        *kwargs.get("excluded_fields", []),
    ]
    return EditHistory(**kwargs)


class NaturalKeyQuerySet(models.QuerySet):
    def get_by_natural_key(self, *values):
        """The record a fixture names by its natural key, e.g. ("douyin-xunren",)."""
        return self.get(**dict(zip(self.model.natural_key_fields, values, strict=True)))


NAME_SORT_LENGTH = 255
_NOT_SORTED_BY = re.compile(r"[^a-z0-9]")


def pinyin_sort_key(name):
    """How a Chinese name sorts: its pinyin without tones, lower case, with everything but
    letters and digits left out, so “游戏+”模式 sorts under y and not before every name:
    抖音寻人 → douyinxunren, 123轻松筹 → 123qingsongchou."""
    # Imported here: pypinyin loads its dictionaries on import (about 0.4 s), which every
    # process would otherwise pay at start, whether it saves a name or not.
    from pypinyin import Style, lazy_pinyin

    reading = "".join(lazy_pinyin(name or "", style=Style.NORMAL)).lower()
    return _NOT_SORTED_BY.sub("", reading)[:NAME_SORT_LENGTH]


def name_order(language=None):
    """The fields that order names in `language`: pinyin (then the characters, for
    homophones) in Chinese, the English name otherwise."""
    return ["name_sort", "name_zh"] if is_chinese(language) else ["name_en"]


class NameOrderedQuerySet(NaturalKeyQuerySet):
    def in_name_order(self, *first, language=None):
        """By the fields `first` (e.g. "-case_count"), then by name as readers of `language`
        (by default the active one) expect: pinyin order in Chinese, alphabetical in English."""
        return self.order_by(*first, *name_order(language))


class PinyinSorted(models.Model):
    """A record with a Chinese name, `name_zh`, that lists sort by its pinyin (`name_sort`),
    kept current on every save, fixtures' raw saves included (`fill_name_sort`)."""

    name_sort = models.CharField(
        _("pinyin sort key"),
        max_length=NAME_SORT_LENGTH,
        blank=True,
        editable=False,
        help_text=_("Filled from the Chinese name on save, e.g. douyinxunren for 抖音寻人."),
    )

    class Meta:
        abstract = True


def fill_name_sort(sender, instance, **kwargs):
    """pre_save receiver: set `name_sort` from `name_zh`; runs for raw (fixture) saves too."""
    instance.name_sort = pinyin_sort_key(instance.name_zh)


class NaturalKeyModel(models.Model):
    """Fixtures name records by `natural_key_fields` (slugs, not numeric ids), so they read
    like data and loading one twice updates rather than duplicates."""

    natural_key_fields = ("slug",)

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        abstract = True

    def natural_key(self):
        values = []
        for path in self.natural_key_fields:
            value = self
            for attribute in path.split("__"):
                value = getattr(value, attribute)
            values.append(value)
        return tuple(values)
