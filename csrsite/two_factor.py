"""Two-factor sign-in for staff (django-otp): a password, then a code from an authenticator app
(TOTP) or one of ten single-use recovery codes.

Every staff account needs both to reach the admin or to preview drafts. An account may set up
its app only while an operator has opened enrolment for it (`createeditor` for a new account,
`reset_two_factor` after a lost phone, and the migration that introduced two-factor sign-in,
for the accounts that existed): an unconfirmed device, valid for ENROLMENT_DAYS. So a stolen
password alone can neither sign in nor set up an attacker's app on an account that has one.
"""

import base64
import io
import re
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

RECOVERY_CODES = 10
APP = "authenticator app"
RECOVERY = "recovery codes"
TOTP_CODE = re.compile(r"[0-9]{6}")
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")


def enrolment_days():
    return getattr(settings, "TWO_FACTOR_ENROLMENT_DAYS", 7)


# Devices ---------------------------------------------------------------------------------


def open_enrolment(user):
    """Forget the account's app and recovery codes and let it set up an app at its next
    sign-in, within enrolment_days(). Returns the waiting (unconfirmed) device."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        return TOTPDevice.objects.create(user=user, name=APP, confirmed=False)


def has_app(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def waiting_device(user):
    """The unconfirmed device an operator opened for this account, if still in time."""
    since = timezone.now() - timedelta(days=enrolment_days())
    return (
        TOTPDevice.objects.filter(user=user, confirmed=False, created_at__gte=since)
        .order_by("-created_at")
        .first()
    )


def new_recovery_codes(user):
    """Ten fresh single-use codes; the old ones stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def check_code(user, code):
    """(device, None) when `code` is right; (None, until) when the device that would check it
    is waiting after wrong codes, until that moment; (None, None) when it is wrong."""
    model = TOTPDevice if TOTP_CODE.fullmatch(code) else StaticDevice
    latest = None
    with transaction.atomic():
        devices = model.objects.devices_for_user(user, confirmed=True).select_for_update()
        for device in devices:
            until = waiting_until(device)
            if until is not None:
                latest = until
            elif device.verify_token(code):
                return device, None
    return None, latest


def waiting_until(device):
    """When a device that refused wrong codes will check one again; None if it will now."""
    allowed, details = device.verify_is_allowed()
    return None if allowed else details.get("locked_until")


def qr_code(device):
    """The app's set-up link as an SVG data: URL, for an <img> (allowed by img-src)."""
    out = io.BytesIO()
    write_qrcode_image(device.config_url, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def secret_in_groups(device):
    """The key as a person types it into an app without a camera: base32 in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))


# Forms -----------------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, recovery_allowed=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.recovery_allowed = recovery_allowed
        if recovery_allowed:
            self.fields["code"].help_text = _(
                "The 6-digit code your authenticator app shows, or one of your recovery codes."
            )
        else:
            self.fields["code"].help_text = _("The 6-digit code your authenticator app shows.")

    def clean_code(self):
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"]).lower()
        if TOTP_CODE.fullmatch(code) or (self.recovery_allowed and RECOVERY_CODE.fullmatch(code)):
            return code
        if self.recovery_allowed:
            raise forms.ValidationError(
                _("Enter the 6 digits your app shows, or a recovery code of 8 letters and digits.")
            )
        raise forms.ValidationError(_("Enter the 6 digits your app shows."))


# Views -----------------------------------------------------------------------------------


def safe_next(request):
    """Where to go once signed in: the `next` the login page passed on, if it is a page of
    this site, and the admin's index otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def second_step(request, site):
    """After the password: the code, or, for an account an operator opened enrolment for,
    setting up the app."""
    if request.method == "POST" and "sign_out" in request.POST:
        logout(request)
        return redirect("admin:login")
    next_url = safe_next(request)
    if request.user.is_verified():  # signed in already, in another tab
        return redirect(next_url)
    if not has_app(request.user):
        return enrol(request, site, next_url)

    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        device, waiting_until = check_code(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                warn_about_recovery_codes(request)
            return redirect(next_url)
        form.add_error("code", wrong_code_message(waiting_until))
    context = {
        **site.each_context(request),
        "title": _("Two-factor sign-in"),
        "form": form,
        "next": next_url,
    }
    return render(request, "admin/two_factor/verify.html", context)


def wrong_code_message(waiting_until):
    if waiting_until is not None:
        seconds = max(1, round((waiting_until - timezone.now()).total_seconds()))
        return ngettext(
            "Too many wrong codes: wait %(seconds)d second, then enter the code your app "
            "shows then.",
            "Too many wrong codes: wait %(seconds)d seconds, then enter the code your app "
            "shows then.",
            seconds,
        ) % {"seconds": seconds}
    return _(
        "That code is not right, or was already used. Enter the code your app shows now, or "
        "an unused recovery code."
    )


def warn_about_recovery_codes(request):
    left = recovery_codes_left(request.user)
    messages.warning(
        request,
        ngettext(
            "You signed in with a recovery code; %(left)d is left. Make new ones under "
            "“Recovery codes” before you run out.",
            "You signed in with a recovery code; %(left)d are left. Make new ones under "
            "“Recovery codes” before you run out.",
            left,
        )
        % {"left": left},
    )


def enrol(request, site, next_url):
    context = {**site.each_context(request), "title": _("Set up two-factor sign-in")}
    device = waiting_device(request.user)
    if device is None:
        return render(request, "admin/two_factor/not_set_up.html", context, status=403)
    form = CodeForm(request.POST if request.method == "POST" else None, recovery_allowed=False)
    if form.is_bound and form.is_valid():
        until = waiting_until(device)
        if until is None and device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
                codes = new_recovery_codes(request.user)
            otp_login(request, device)
            return show_recovery_codes(request, site, codes, next_url, first=True)
        form.add_error("code", wrong_code_message(until))
    context.update(
        form=form,
        next=next_url,
        qr_code=qr_code(device),
        secret=secret_in_groups(device),
        issuer=getattr(settings, "OTP_TOTP_ISSUER", ""),
        account=request.user.get_username(),
        days=enrolment_days(),
    )
    return render(request, "admin/two_factor/enrol.html", context)


def show_recovery_codes(request, site, codes, next_url, first=False):
    context = {
        **site.each_context(request),
        "title": _("Your recovery codes"),
        "codes": [f"{code[:4]} {code[4:]}" for code in codes],
        "next": next_url,
        "first": first,
    }
    return render(request, "admin/two_factor/recovery_codes.html", context)


def recovery_codes(request, site):
    """A signed-in editor's recovery codes: how many are left, and new ones on request."""
    if request.method == "POST":
        return show_recovery_codes(
            request, site, new_recovery_codes(request.user), reverse("admin:index")
        )
    context = {
        **site.each_context(request),
        "title": _("Recovery codes"),
        "left": recovery_codes_left(request.user),
    }
    return render(request, "admin/two_factor/recovery_codes_left.html", context)
