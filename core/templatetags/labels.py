"""`{% load labels %}{{ code|label:"stage" }}`, `{{ event.verb|verb }}`, `{{ user|person }}`,
`{{ when|local_time }}`: what a person reads instead of codes, usernames and UTC."""
from django import template

from core import labels

register = template.Library()


@register.filter
def label(code, namespace: str):
    return labels.label(namespace, code)


@register.filter
def verb(code):
    return labels.verb(code)


@register.filter
def person(user):
    return labels.person(user)


@register.filter
def local_time(value):
    return labels.local_time(value)
