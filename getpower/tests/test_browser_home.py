import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_in_a_real_browser(page, screenshot):
    page.goto("/")
    assert "获得电力" in page.title()
    page.get_by_role("link", name="政策与时限").first.click()
    page.wait_for_url("**/policies/")
    screenshot("home-then-policies")
