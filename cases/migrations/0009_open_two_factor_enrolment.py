"""Two-factor sign-in became required for staff: every staff account that existed then may set
up its authenticator app at its next sign-in, within the enrolment time (csrsite/two_factor.py),
as `reset_two_factor` would allow it."""

from django.db import migrations


def open_enrolment_for_existing_staff(apps, schema_editor):
    User = apps.get_model("auth", "User")
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    with_device = TOTPDevice.objects.values("user_id")
    for user in User.objects.filter(is_staff=True).exclude(pk__in=with_device):
        TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("cases", "0008_social_value_impact_index"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RunPython(open_enrolment_for_existing_staff, migrations.RunPython.noop),
    ]
