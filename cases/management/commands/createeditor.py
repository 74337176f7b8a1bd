"""Create or update an admin account for an editor (or, with --viewer, a viewer).

    python manage.py createeditor mei --email mei@example.org
    python manage.py createeditor wang --viewer
    python manage.py createeditor li --no-input      # then: python manage.py changepassword li
    python manage.py createeditor zhao --reviewer    # an editor who also confirms assessments

The account is staff, in exactly one of the two roles the migrations create ("editors",
"viewers"), and never a superuser; with --reviewer it is also in "reviewers", who confirm the
index assessments others propose. Running it again for an existing user updates that user:
switching role, changing the email, or (interactively) the password; a deactivated account
is made active again. An account without an authenticator app may set one up at its next
sign-in, for two-factor sign-in (csrsite/two_factor.py).
"""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.core.validators import validate_email
from django.db import transaction

from csrsite import two_factor

EDITORS = "editors"
VIEWERS = "viewers"
REVIEWERS = "reviewers"
PASSWORD_TRIES = 3


class Command(BaseCommand):
    help = (
        "Create a staff account in the editors group (or viewers, with --viewer), or update "
        "an existing one. Never makes a superuser."
    )
    stealth_options = ("stdin",)  # tests hand in a terminal, as for createsuperuser

    def add_arguments(self, parser):
        parser.add_argument("username", metavar="USERNAME")
        parser.add_argument("--email", help="Email address (an existing one is kept if omitted).")
        parser.add_argument(
            "--viewer",
            action="store_true",
            help="Make a viewer (reads the admin, changes nothing) instead of an editor.",
        )
        parser.add_argument(
            "--reviewer",
            action="store_true",
            help="Also let the account confirm index assessments that others propose.",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Ask nothing: a new account gets no usable password until "
            "`manage.py changepassword USERNAME`; an existing one keeps its password.",
        )

    # English throughout: the project's default language would otherwise translate only the
    # password validators' messages.
    @no_translations
    def handle(self, *args, username, email, viewer, reviewer, interactive, **options):
        User = get_user_model()
        username = self.clean_username(User, username)
        if email is not None:
            try:
                validate_email(email)
            except ValidationError:
                raise CommandError(f"“{email}” is not a valid email address.") from None

        role, other_role = (VIEWERS, EDITORS) if viewer else (EDITORS, VIEWERS)
        groups = {
            group.name: group
            for group in Group.objects.filter(name__in=[role, other_role, REVIEWERS])
        }
        if len(groups) < 3:
            raise CommandError(
                f"The “{EDITORS}”, “{VIEWERS}” and “{REVIEWERS}” groups do not exist yet: "
                "run `python manage.py migrate` first."
            )

        user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
        created = user is None
        if created:
            user = User(**{User.USERNAME_FIELD: username})
        elif user.is_superuser:
            # Giving a superuser a role would not limit them; taking superuser status away is
            # a decision for a person in the admin, not a side effect of this command.
            raise CommandError(
                f"{username} is a superuser, who can already do everything; createeditor does "
                "not demote superusers. To make them an editor or viewer, first clear "
                "“Superuser status” on their page in the admin (Users), then run this again."
            )
        if email is not None:
            user.email = email

        if interactive:
            terminal = options.get("stdin", sys.stdin)
            self.ask_password(
                user, terminal, keep_allowed=not created and user.has_usable_password()
            )
        elif created:
            user.set_unusable_password()

        was_in_other_role = not created and user.groups.filter(name=other_role).exists()
        with transaction.atomic():
            user.is_staff = True
            user.is_active = True
            user.save()
            user.groups.remove(groups[other_role])
            user.groups.add(groups[role])
            if reviewer:
                user.groups.add(groups[REVIEWERS])
            # Staff sign in with a code from an app too: a new account sets one up at its
            # first sign-in (an existing account keeps the app it has).
            opened = not two_factor.has_app(user) and two_factor.waiting_device(user) is None
            if opened:
                two_factor.open_enrolment(user)

        kind = "viewer" if viewer else "editor"
        action = "Created" if created else "Updated"
        switched = f", removed from “{other_role}”" if was_in_other_role else ""
        reviews = f" and “{REVIEWERS}”" if reviewer else ""
        self.stdout.write(f"{action} {kind} {username} (staff, in “{role}”{reviews}{switched}).")
        if not two_factor.has_app(user):
            self.stdout.write(
                f"{username} sets up an authenticator app for two-factor sign-in at the first "
                f"sign-in, within {two_factor.enrolment_days()} days of "
                + ("now." if opened else "when that was opened.")
            )
        if not user.has_usable_password():
            self.stdout.write(
                f"{username} has no password yet; set one with "
                f"`python manage.py changepassword {username}`."
            )

    def clean_username(self, User, username):
        username = User.normalize_username(username)
        if not username.strip():
            raise CommandError("The username cannot be empty.")
        field = User._meta.get_field(User.USERNAME_FIELD)
        try:
            return field.clean(username, None)
        except ValidationError as error:
            raise CommandError(
                f"“{username}” is not a valid username: {error.messages[0]}"
            ) from None

    def ask_password(self, user, terminal, keep_allowed):
        """Prompt twice and validate; an empty answer keeps an existing user's password."""
        if not terminal.isatty():
            # getpass would echo the password, or fail on a closed input.
            raise CommandError(
                "Not running in a terminal, so the password cannot be asked for. Use "
                f"--no-input, then `python manage.py changepassword {user.get_username()}`."
            )
        prompt = "Password (empty keeps the current one): " if keep_allowed else "Password: "
        for _ in range(PASSWORD_TRIES):
            password = getpass.getpass(prompt)
            if not password and keep_allowed:
                return
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The two passwords do not match; try again.")
                continue
            try:
                validate_password(password, user)
            except ValidationError as error:
                self.stderr.write("\n".join(error.messages))
                continue
            user.set_password(password)
            return
        raise CommandError(f"No acceptable password after {PASSWORD_TRIES} tries; nothing changed.")
