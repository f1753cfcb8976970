"""Plain Chinese: Django's own messages are 中文 even for an English browser."""
import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_password_rules_are_chinese_for_an_english_browser(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    response = client.post("/me/signup/", {"contact": "13912345678", "display_name": "王", "password": "123",
                                           "password2": "123"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "密码太短，至少需要 8 个字符" in html and "This password is too short" not in html
    assert response["Content-Language"] == "zh-hans"


def test_english_only_when_chosen():
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.cookies["django_language"] = "en"
    assert client.get("/healthz")["Content-Language"] == "en"
