"""The admin's "change my password" page, saved through accounts.actions so the change
writes its event (Django's own view saves the user directly). It answers at the admin's
own address (/admin/password_change/), so the admin's links lead here."""
from django.contrib import admin
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.contrib.auth.views import PasswordChangeView
from django.urls import reverse_lazy

from accounts import actions


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Old password, new password twice, Django's validators; saved by the action."""

    def save(self, commit=True):
        return actions.user_password_set(user=self.user, password=self.cleaned_data["new_password1"], by=self.user)


def _password_change(request):
    request.current_app = admin.site.name
    return PasswordChangeView.as_view(form_class=PasswordChangeForm, success_url=reverse_lazy("admin:password_change_done"),
                                      extra_context=admin.site.each_context(request))(request)


password_change = admin.site.admin_view(_password_change)
