"""Reset a staff account's two-factor sign-in, after a lost or replaced phone:

    python manage.py reset_two_factor mei

The account's authenticator app and recovery codes stop working at once, and at its next
sign-in (within TWO_FACTOR_ENROLMENT_DAYS, 7 by default) it sets up an app again. Also the way
to let an account made by `createsuperuser` sign in for the first time. Signed-in sessions of
the account are ended, so a stolen phone's session goes too.
"""

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import transaction

from csrsite import two_factor


class Command(BaseCommand):
    help = (
        "Forget a staff account's authenticator app and recovery codes and let it set up a new "
        "app at its next sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", metavar="USERNAME")

    @no_translations
    def handle(self, *args, username, **options):
        User = get_user_model()
        user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"There is no account “{username}”; nothing changed.")
        if not user.is_staff:
            raise CommandError(
                f"{username} is not a staff account and cannot sign in to the admin; nothing "
                "changed."
            )
        with transaction.atomic():
            had_app = two_factor.has_app(user)
            two_factor.open_enrolment(user)
            ended = end_sessions(user)
        forgot = "Forgot its authenticator app and recovery codes; " if had_app else ""
        self.stdout.write(
            f"{forgot}{username} sets up an authenticator app at the next sign-in, within "
            f"{two_factor.enrolment_days()} days. Signed-in sessions ended: {ended}."
        )


def end_sessions(user):
    """Delete the account's sessions in the database; returns how many there were."""
    key = str(user.pk)
    mine = [
        session.pk
        for session in Session.objects.iterator()
        if session.get_decoded().get("_auth_user_id") == key
    ]
    Session.objects.filter(pk__in=mine).delete()
    return len(mine)
