"""`manage.py load_curated FIXTURE …`: the curated fixtures, loaded the way Django's loaddata
loads them but stricter and clearer, with each record's first history row.

Each object is validated like a form would validate it (`full_clean`) before it is saved, and
any failure names the object by its natural key and the reference or rule it broke, e.g.
``cases.project "douyin-xunren": company: no cases.company with natural key ["nope"]``.
Django already loads all fixtures of one call inside one transaction, so a failure leaves
the database as it was.

Fixture loading bypasses the edit history's signals, so each loaded record gets one history
row here ("loaded from fixtures"); an editor's first change then shows what it changed.
"""

import json

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.core.management.base import CommandError
from django.core.management.commands import loaddata
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, IntegrityError

from cases import impact

HISTORY_REASON = "loaded from fixtures"


class FixtureObjectError(Exception):
    """One fixture object could not be loaded; the message says which and why."""


def describe(instance):
    """`cases.project "douyin-xunren"`: the model label and the natural key (or pk)."""
    label = instance._meta.label_lower
    try:
        key = instance.natural_key()
    except (AttributeError, ObjectDoesNotExist):
        key = None
    if key:
        shown = key[0] if len(key) == 1 else list(key)
        return f"{label} {json.dumps(shown, ensure_ascii=False, default=str)}"
    return f"{label} (pk={instance.pk})"


def missing_reference(field, value):
    model = field.remote_field.model._meta.label_lower
    shown = json.dumps(value, ensure_ascii=False, default=str)
    return f"{field.name}: no {model} with natural key {shown}"


def is_curated(instance):
    """Curated records are validated as they load; edit-history rows in a backup are kept as
    they were written."""
    return hasattr(type(instance), "edit_history")


def validation_messages(error):
    if hasattr(error, "error_dict"):
        return "; ".join(
            " ".join(messages) if field == NON_FIELD_ERRORS else f"{field}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


class NamedDeferredObject:
    """Wraps a deserialized object whose references are resolved at the end of the load, so
    that a reference that never appears is reported against the object that made it."""

    def __init__(self, deserialized):
        self.deserialized = deserialized

    def save_deferred_fields(self, using=None):
        try:
            self.deserialized.save_deferred_fields(using=using)
        except DeserializationError as exc:
            missing = [
                missing_reference(field, value)
                for field, value in self.deserialized.deferred_fields.items()
            ]
            raise FixtureObjectError(
                f"Could not load {describe(self.deserialized.object)}: {'; '.join(missing)}"
            ) from exc


class Command(loaddata.Command):
    help = (
        "Loads the curated fixtures like Django's loaddata, validating each object and naming "
        "any object that cannot be loaded (nothing is saved if any fails), then writes each "
        "record's first history row."
    )

    def handle(self, *fixture_labels, **options):
        try:
            return super().handle(*fixture_labels, **options)
        except (
            FixtureObjectError,
            DeserializationError,
            IntegrityError,
            DatabaseError,
            ValidationError,
            ObjectDoesNotExist,
        ) as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc

    def loaddata(self, fixture_labels):
        self.keys_loaded = set()
        self.loaded = []
        super().loaddata(fixture_labels)
        self.record_history()
        # Fixtures are saved raw, without the signals that keep derived index levels current.
        impact.refresh()

    def record_history(self):
        for instance, added in self.loaded:
            del instance.skip_history_when_saving
            instance._change_reason = HISTORY_REASON
            type(instance).edit_history.create_historical_record(instance, "+" if added else "~")

    def save_obj(self, obj):
        instance = obj.object
        self.refuse_second_copy(instance)
        required_missing = [
            missing_reference(field, value)
            for field, value in obj.deferred_fields.items()
            if field.many_to_one and not field.null
        ]
        if required_missing:
            raise FixtureObjectError(
                f"Could not load {describe(instance)}: {'; '.join(required_missing)}"
            )
        deferred = [field.name for field in obj.deferred_fields]
        if instance.pk is not None:
            # Found by natural key: validate as an update, not as a second copy.
            instance._state.adding = (
                not type(instance)._default_manager.filter(pk=instance.pk).exists()
            )
        if is_curated(instance):
            try:
                instance.full_clean(exclude=deferred, validate_unique=False)
            except ValidationError as exc:
                raise FixtureObjectError(
                    f"Could not load {describe(instance)}: {validation_messages(exc)}"
                ) from exc
        added = instance._state.adding
        if is_curated(instance):
            # One history row per record once everything is loaded, not one per signal.
            instance.skip_history_when_saving = True
        try:
            saved = super().save_obj(obj)
        except (DatabaseError, IntegrityError, ValueError) as exc:
            raise FixtureObjectError(f"Could not load {describe(instance)}: {exc}") from exc
        if is_curated(instance):
            self.loaded.append((instance, added))
        if obj.deferred_fields and self.objs_with_deferred_fields[-1] is obj:
            self.objs_with_deferred_fields[-1] = NamedDeferredObject(obj)
        return saved

    def refuse_second_copy(self, instance):
        """Two fixture objects with one natural key would silently become one record."""
        try:
            key = (instance._meta.label_lower, *instance.natural_key())
        except (AttributeError, ObjectDoesNotExist):
            return
        if key in self.keys_loaded:
            raise FixtureObjectError(
                f"Could not load {describe(instance)}: it appears twice in the fixtures."
            )
        self.keys_loaded.add(key)
