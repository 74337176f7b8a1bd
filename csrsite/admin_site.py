"""The admin site: Django's, behind two-factor sign-in (csrsite/two_factor.py).

The login page checks the password (django-axes counts the failures); the second step asks
for the code. Until it is given, the account is signed in but not *verified*, which reaches
only the second step and signing out."""

from functools import update_wrapper

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from . import two_factor


def verified(user):
    """Signed in with the second factor too. (Right after the password, request.user is the
    plain user that the login view set, which django-otp has not yet looked at.)"""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def password_only(request):
    """Signed in as staff with the password, the code still to come."""
    user = request.user
    return user.is_authenticated and user.is_active and user.is_staff and not verified(user)


class CasebookAdminSite(admin.AdminSite):
    site_header = _("CSI Casebook administration")
    site_title = _("CSI Casebook")
    index_title = _("Cases, companies, issues and figures")

    def has_permission(self, request):
        return super().has_permission(request) and verified(request.user)

    def login(self, request, extra_context=None):
        if password_only(request):
            return self.to_second_step(request, request.GET.get("next", ""))
        response = super().login(request, extra_context)
        if request.method == "POST" and password_only(request):
            # The password was right: on to the code, then where the login page would go.
            return self.to_second_step(request, response.get("Location", ""))
        return response

    def to_second_step(self, request, next_url):
        url = reverse("admin:two_factor", current_app=self.name)
        return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)

    def signed_in_view(self, view):
        """For the second step: needs the password, not yet the code."""

        def inner(request, *args, **kwargs):
            if not password_only(request) and not self.has_permission(request):
                return redirect("admin:login")
            return view(request, self, *args, **kwargs)

        return update_wrapper(never_cache(csrf_protect(inner)), view)

    def get_urls(self):
        return [
            path(
                "two-factor/",
                self.signed_in_view(two_factor.second_step),
                name="two_factor",
            ),
            path(
                "two-factor/recovery-codes/",
                self.admin_view(lambda request: two_factor.recovery_codes(request, self)),
                name="recovery_codes",
            ),
            *super().get_urls(),
        ]
