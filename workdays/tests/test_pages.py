"""The calendar page, its htmx deadline calculator, and the admin CSV import."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from workdays.models import CalendarYear

pytestmark = pytest.mark.usefixtures("official_calendar")


def test_the_page_shows_a_year_with_its_source(client):
    page = client.get(reverse("workdays:calendar") + "?year=2026").content.decode()
    assert "2026 年工作日历" in page and ">官方<" in page
    assert "调休上班：国庆节（调休上班）" in page  # 10 Oct 2026 in the month grid
    provisional = client.get(reverse("workdays:calendar") + "?year=2027").content.decode()
    assert ">暂定<" in provisional and "《全国年节及纪念日放假办法》" in provisional
    assert "春节（补假）" in provisional


def test_an_unknown_year_is_named_and_the_current_year_shown(client):
    response = client.get(reverse("workdays:calendar") + "?year=1890")
    assert response.status_code == 200
    assert "没有 1890 年的日历" in response.content.decode()


def test_the_calculator_answers_an_htmx_post_with_the_explanation(client):
    response = client.post(
        reverse("workdays:deadline"), {"start": "2026-09-29", "unit": "workday", "limit": "5"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body  # a fragment for htmx to swap in
    assert '<strong id="due">2026-10-12</strong>' in body
    assert "2026-10-01 国庆节放假" in body and "2026-10-11 周末" in body


def test_the_calculator_explains_a_move_without_javascript(client):
    response = client.post(reverse("workdays:deadline"), {"start": "2026-03-05", "unit": "day", "limit": "3"})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body
    assert "期限末日 2026-03-08 不是工作日（周末），顺延至 2026-03-09" in body


def test_the_calculator_names_the_bad_field(client):
    response = client.post(reverse("workdays:deadline"), {"start": "2026-09-31", "unit": "day", "limit": "3"})
    assert response.status_code == 422
    assert 'aria-describedby="start-error"' in response.content.decode()
    beyond = client.post(
        reverse("workdays:deadline"), {"start": "2036-12-20", "unit": "workday", "limit": "60"}, HTTP_HX_REQUEST="true"
    )
    body = beyond.content.decode()
    assert 'id="limit-error"' in body and "将超过工作日日历的最后一天" in body


def test_admin_imports_a_csv_through_the_same_checks(admin_client):
    url = reverse("admin:workdays_calendaryear_import")
    assert admin_client.get(url).status_code == 200
    bad = SimpleUploadedFile("2027.csv", "2027-01-01,holiday,元旦\n2027-13-01,holiday,元旦\n".encode())
    body = admin_client.post(url, {"file": bad}).content.decode()
    assert "line 2: &#x27;2027-13-01&#x27; is not a date" in body
    assert not CalendarYear.objects.filter(year=2027).exists()

    good = SimpleUploadedFile("2027.csv", "\ufeffdate,kind,name\n2027-01-01,holiday,元旦\n".encode())
    response = admin_client.post(url, {"file": good, "note": "国办发明电"})
    assert response.status_code == 302
    stored = CalendarYear.objects.get(year=2027)
    assert (stored.source, stored.note, stored.imported_by.username) == ("imported", "国办发明电", "admin")


def test_admin_refuses_to_overwrite_an_official_year_unless_asked(admin_client):
    url = reverse("admin:workdays_calendaryear_import")
    upload = lambda: SimpleUploadedFile("2026.csv", b"2026-10-01,holiday,National Day\n")  # noqa: E731
    assert "replace-official" in admin_client.post(url, {"file": upload()}).content.decode()
    assert CalendarYear.objects.get(year=2026).source == "official"
    admin_client.post(url, {"file": upload(), "replace_official": "on"})
    assert CalendarYear.objects.get(year=2026).source == "imported"


def test_admin_lists_years_and_days_read_only(admin_client):
    changelist = admin_client.get(reverse("admin:workdays_calendaryear_changelist")).content.decode()
    assert "导入 CSV" in changelist and "2026" in changelist
    assert admin_client.get(reverse("admin:workdays_calendaryear_change", args=[2026])).status_code == 200
    assert admin_client.get(reverse("admin:workdays_calendarday_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:workdays_calendaryear_add")).status_code == 403
