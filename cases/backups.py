"""What a backup holds, and how its rows refer to each other.

A backup is every row worth keeping: the casebook with its edit history, the accounts and
their groups, and the admin's log of actions. Sign-ins, login attempts and the tables that
`migrate` fills (content types, permissions) are left out.

Rows keep their ids. History rows name their record by a bare id (which `history` lists
query by), admin log entries link to their object by id, and history may still mention a
record that has since been deleted, which a natural key could not name. The few rows that
`migrate` makes on a new database may get other ids there, so references to them are written
as natural keys instead: content types as ["cases", "project"], permissions as
["change_project", "cases", "project"], and groups by name, so a restore updates the
"editors" and "viewers" groups that migrate created rather than adding a second copy.
"""

import datetime
from contextlib import contextmanager

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import connection, transaction

# Everything not listed here is backed up, so that a model added later is kept until someone
# decides otherwise (tests/test_backup.py pins the list of what is kept).
LEFT_OUT = {
    "contenttypes": "recreated by migrate",
    "auth.permission": "recreated by migrate",
    "sessions": "sign-ins, which expire",
    "axes": "login attempts and lockouts, which expire",
}

# Rows migrate creates on an empty database, referred to by natural key.
NAMED_BY_NATURAL_KEY = (ContentType, Permission, Group)
# Of those, the ones a backup holds: matched by name on restore, never by id.
MATCHED_BY_NATURAL_KEY = (Group,)


def is_left_out(model):
    return model._meta.app_label in LEFT_OUT or model._meta.label_lower in LEFT_OUT


def backed_up_models():
    """Every model whose rows a backup holds, referenced models first."""
    app_list = [(app_config, None) for app_config in apps.get_app_configs()]
    return [
        model
        for model in serializers.sort_dependencies(app_list, allow_cycles=True)
        if not is_left_out(model) and not model._meta.proxy
    ]


def backed_up_rows():
    for model in backed_up_models():
        # The base manager, so that no custom default manager can hide a row from the backup.
        yield from model._base_manager.order_by(model._meta.pk.name).iterator()


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds, as JavaScript keeps them; a backup keeps
    the microseconds the database holds, so that restored times are the same times."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class BackupSerializer(JSONSerializer):
    """Django's JSON, with natural keys only where the module docstring says; a stock
    `loaddata` reads it back."""

    def get_dump_object(self, obj):
        self.use_natural_primary_keys = isinstance(obj, MATCHED_BY_NATURAL_KEY)
        return super().get_dump_object(obj)

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = issubclass(field.related_model, NAMED_BY_NATURAL_KEY)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = issubclass(field.related_model, NAMED_BY_NATURAL_KEY)
        super().handle_m2m_field(obj, field)


@contextmanager
def one_snapshot():
    """Read every table as of one moment. Otherwise a case added while the backup runs could
    be missing from the cases but present with its figures, and the backup would not load."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        # SQLite reads inside one transaction from one snapshot already.
        yield


def write_backup(stream):
    """Write every backed-up row to `stream` (text) as a JSON list."""
    with one_snapshot():
        BackupSerializer().serialize(
            backed_up_rows(), stream=stream, indent=1, cls=ExactJSONEncoder
        )
