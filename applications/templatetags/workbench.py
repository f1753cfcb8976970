"""Template helpers for pages outside the workbench that point into it."""
from django import template
from django.urls import reverse

from accounts.roles import landing
from applications import demo
from core import labels

register = template.Library()



@register.simple_tag
def demo_logins() -> list[dict]:
    """The demo's logins (one per role and region) with the face each leads to; empty
    when the demo is not loaded."""
    if not demo.is_loaded():
        return []
    return [{"username": username, "role": role, "role_name": labels.label("role", role), "where": where,
             "face": reverse(landing({role}))}
            for username, role, where in demo.demo_logins()]


@register.simple_tag
def demo_password() -> str:
    return demo.PASSWORD
