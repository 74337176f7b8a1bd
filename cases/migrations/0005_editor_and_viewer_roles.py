"""The two admin roles, as groups with their permissions.

Editors add and change every part of a case, publish, and remove figures, milestones,
partnerships and sources (a source that figures cite is refused by the admin). They cannot
delete cases, companies, issues or indicators, and cannot manage users. Viewers only read.
The lists are frozen here; a later change to a role is a new migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "editors"
VIEWERS = "viewers"

EDITED = {
    "project": ["add", "change", "view", "publish"],
    "metric": ["add", "change", "delete", "view"],
    "milestone": ["add", "change", "delete", "view"],
    "partnership": ["add", "change", "delete", "view"],
    "source": ["add", "change", "delete", "view"],
    "company": ["add", "change", "view"],
    "socialissue": ["add", "change", "view"],
    "indicator": ["add", "change", "view"],
    "unit": ["view"],
    "sdg": ["view"],
}


def codename(action, model):
    return f"{action}_{model}"


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; create them now so the
    # groups can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    cases_permissions = Permission.objects.filter(content_type__app_label="cases")
    wanted = {
        EDITORS: [codename(action, model) for model, actions in EDITED.items() for action in actions],
        VIEWERS: [codename("view", model) for model in EDITED],
    }
    for name, codenames in wanted.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = list(cases_permissions.filter(codename__in=codenames))
        missing = set(codenames) - {permission.codename for permission in permissions}
        if missing:
            raise RuntimeError(f"permissions missing for the {name} role: {sorted(missing)}")
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORS, VIEWERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cases", "0004_history_versions_milestone_notes"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
