"""`{% load verbs %}{{ event.verb|verb_label }}`: an event's verb in 中文 on pages."""
from django import template

from core import verbs

register = template.Library()


@register.filter
def verb_label(verb: str) -> str:
    return verbs.label(verb)
