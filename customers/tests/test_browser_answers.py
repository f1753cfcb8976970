"""In a real browser, on a phone (390 px) and a desk (1280 px), the applicant answers online:
the designer replies two supply schemes in the workbench, the applicant reads them in words
(access point, voltage, investment boundary, each side's cost) and chooses one; a pause for a
missing document is answered by an upload, after a wrong upload nobody reviewed is deleted.
The applicant is told at each step and marks the message read."""
import pytest
from playwright.sync_api import expect

from applications import rules
from applications.models import Application, Document, Pause
from applications.tests import samples
from applications.tests.conftest import at, enterprise
from conftest import api_as, at_width, fits
from core import labels

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def accepted_hv(team, **overrides) -> Application:
    app_id = api_as(team.applicant, "/api/v1/applications/", enterprise(county="370405", **overrides))["id"]
    api_as(team.account_manager, f"/api/v1/applications/{app_id}/accept")
    return Application.objects.get(pk=app_id)


def read_latest(page, says: str):
    """The newest message says `says`; marking it read drops the unread count by one."""
    page.goto("/me/messages/")
    latest = page.locator(".messages li").first
    expect(latest).to_contain_text(says)
    before = int(page.locator("#unread-count").inner_text())
    latest.get_by_role("button", name="标为已读").click()
    expect(page.locator("#unread-count")).to_have_text(str(before - 1))
    expect(latest).to_contain_text("已读")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_applicant_reads_the_schemes_in_words_and_chooses_one(taierzhuang, page, screenshot, clock_at, login_as,
                                                                  width):
    team = taierzhuang
    at_width(page, width)
    clock_at(at(2026, 11, 23, 9))
    application = accepted_hv(team)
    boundaries = sorted(rules.boundaries(application.policy_version, application.category,
                                         in_park=application.in_park))

    # The designer replies two schemes in the workbench; the boundary is chosen by its Chinese name.
    clock_at(at(2026, 11, 24, 10))
    login_as(team.designer)
    page.goto(f"/work/applications/{application.pk}/")
    rows = [page.locator("fieldset", has_text=f"方案 {n}") for n in (1, 2)]
    for row, (name, point, customer, utility) in zip(rows, [("方案一", "10kV古城线#12杆", "0", "86000"),
                                                             ("方案二", "10kV运河线环网柜2#间隔", "32000", "54000")], strict=True):
        row.get_by_label("方案名称").fill(name)
        row.get_by_label("接入点").fill(point)
        row.get_by_label("投资界面").select_option(label=labels.label("boundary", boundaries[0]))
        row.get_by_label("客户投资（元）").fill(customer)
        row.get_by_label("供电公司投资（元）").fill(utility)
    assert "connection_point" not in page.locator("fieldset", has_text="方案 1").inner_text()
    fits(page, width)
    page.get_by_role("button", name="答复方案").click()
    expect(page.get_by_role("status")).to_contain_text("已答复 2 个供电方案")
    assert application.schemes.count() == 2

    # The applicant is told to choose, and reads both schemes in words.
    login_as(team.applicant)
    read_latest(page, "供电方案")
    page.goto(f"/me/applications/{application.pk}/")
    schemes = page.locator("#choose")
    expect(schemes).to_contain_text("请选择一个")
    for words in ("10kV古城线#12杆", "10kV运河线环网柜2#间隔", "10 kV", labels.label("boundary", boundaries[0]),
                  "无需承担费用", "¥32000", "¥54000", "¥86000"):
        expect(schemes).to_contain_text(words)
    assert not [code for code in boundaries if code in schemes.inner_text()]
    fits(page, width)
    screenshot(f"scheme-to-choose-{width}")

    schemes.get_by_label("方案二").check()
    schemes.get_by_role("button", name="确认选择").click()
    page.wait_for_url("**done=choose*")
    expect(page.get_by_role("status")).to_contain_text("已选定供电方案")
    chosen = page.locator("article.scheme.chosen")
    expect(chosen).to_contain_text("方案二")
    expect(chosen).to_contain_text("您已选定")
    expect(page.get_by_role("button", name="确认选择")).to_have_count(0)
    assert application.schemes.get(chosen=True).label == "方案二"
    fits(page, width)
    screenshot(f"scheme-chosen-{width}")

    # The workbench shows the customer's choice.
    login_as(team.designer)
    page.goto(f"/work/applications/{application.pk}/")
    expect(page.locator("tr", has_text="方案二")).to_contain_text("客户选定")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_pause_for_a_document_is_answered_by_an_upload_after_a_wrong_one_is_deleted(
        taierzhuang, page, screenshot, clock_at, login_as, width):
    team = taierzhuang
    at_width(page, width)
    clock_at(at(2026, 11, 23, 9))
    application = accepted_hv(team, supply="dual")  # its 设计审查 lists the design documents
    design = rules.document_names(application.policy_version)["design_documents"]

    # The designer pauses 供电方案答复 for the design documents, in the workbench.
    clock_at(at(2026, 11, 24, 10))
    login_as(team.designer)
    page.goto(f"/work/applications/{application.pk}/")
    pause = page.locator("form.action", has_text="暂停（客户原因）")
    pause.get_by_label("暂停原因（客户原因）").select_option("awaiting_documents")
    pause.get_by_label(design).check()
    pause.get_by_label("需要客户做什么").fill("请上传用电工程设计及说明书，以便核定接入方案")
    pause.get_by_label("请客户在此日期前办理").fill("2026-11-30")
    pause.get_by_role("button", name="暂停计时").click()
    expect(page.get_by_role("status")).to_contain_text("已暂停")
    assert Pause.objects.filter(stage__application=application, ended_at__isnull=True).exists()

    # The applicant is told what is needed and by when, and sees it on the application.
    login_as(team.applicant)
    read_latest(page, "2026-11-30")
    page.goto(f"/me/applications/{application.pk}/")
    asked = page.locator("#asked")
    expect(asked).to_contain_text("需要您办理")
    expect(asked).to_contain_text(design)
    expect(asked).to_contain_text("以便核定接入方案")
    fits(page, width)
    screenshot(f"pause-asked-{width}")

    # A wrong file first: nobody has reviewed it, so it can be deleted.
    upload = page.locator("#upload")
    expect(upload.get_by_label("资料类型")).to_have_value("scheme_reply:design_documents")
    upload.get_by_label("文件（PDF、JPG、PNG）").set_input_files(
        {"name": "营业执照.pdf", "mimeType": "application/pdf", "buffer": samples.pdf("wrong file")})
    upload.get_by_role("button", name="上传").click()
    page.wait_for_url("**done=upload*")
    documents = page.locator("#documents")
    expect(documents).to_contain_text("营业执照.pdf")
    expect(asked).to_contain_text("已上传，等待审核")
    documents.locator("li", has_text="营业执照.pdf").get_by_role("button", name="删除").click()
    page.wait_for_url("**done=deleted*")
    expect(page.get_by_role("status")).to_contain_text("已删除该资料")
    assert not Document.objects.filter(application=application, original_name="营业执照.pdf").exists()

    # The right file answers the request.
    page.locator("#upload").get_by_label("文件（PDF、JPG、PNG）").set_input_files(
        {"name": "设计说明书.pdf", "mimeType": "application/pdf", "buffer": samples.pdf("design")})
    page.locator("#upload").get_by_role("button", name="上传").click()
    page.wait_for_url("**done=upload*")
    expect(page.locator("#documents")).to_contain_text("设计说明书.pdf")
    expect(page.locator("#asked")).to_contain_text("已上传，等待审核")
    document = Document.objects.get(application=application)
    assert (document.stage_code, document.doc_type) == ("scheme_reply", "design_documents")
    fits(page, width)
    screenshot(f"pause-answered-{width}")

    # Staff resume: the upload is now reviewed, no longer deletable; the applicant hears of it.
    login_as(team.designer)
    page.goto(f"/work/applications/{application.pk}/")
    expect(page.get_by_text("设计说明书.pdf")).to_be_visible()
    page.locator("form.action", has_text="恢复计时").get_by_role("button", name="恢复").click()
    expect(page.get_by_role("status")).to_contain_text("已恢复")
    login_as(team.applicant)
    read_latest(page, "已恢复计时")
    page.goto(f"/me/applications/{application.pk}/")
    expect(page.locator("#asked")).to_have_count(0)
    expect(page.locator("#documents").get_by_role("button", name="删除")).to_have_count(0)
    screenshot(f"pause-resumed-{width}")
