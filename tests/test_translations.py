"""The supplier portal in Simplified Chinese and Vietnamese.

Factory contacts pick their language on the profile page; the catalogues live in locale/ (the .po files, and the
compiled .mo files, committed so that neither CI nor a deployment needs gettext). These tests check the pages
a factory contact sees come out translated, that every string of the portal's templates (and of the shared ones
it renders) and of portal/*.py has a checked translation in both catalogues, that no translation drops or
invents a placeholder, that the committed .mo files match the .po files, and that staff pages stay in English.
"""

import ast
import gettext as gettext_module
import importlib
import io
import re
import shutil
import subprocess
import tokenize
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation.template import templatize
from pypdf import PdfReader

from accounts.languages import offered_language
from accounts.models import User
from tests.factories import PurchaseOrderFactory

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "templates"
LOCALES = {"zh_Hans": "zh-hans", "vi": "vi"}

# Templates outside templates/portal/ that portal pages extend, include or render (profile, sign-in and
# password pages, error pages, notifications, the scorecard body, the audit report PDF, the reset email).
SHARED_TEMPLATES = [
    "_skeleton.html",
    "base.html",
    "403.html",
    "404.html",
    "429.html",
    "accounts/*.html",
    # django-allauth's pages, emails and messages, as Forgeline overrides them (sign-in, second factor,
    # password reset, sessions)
    "account/*.html",
    "account/**/*.txt",
    "mfa/**/*.html",
    "mfa/**/*.txt",
    "usersessions/**/*.html",
    "usersessions/**/*.txt",
    "includes/*.html",
    "scorecards/_scorecard_body.html",
    "scorecards/_period_select.html",
    "scorecards/_kpi.html",
    "communications/_thread.html",
    "communications/notifications.html",
    "audits/_capa_answer.html",
    "payments/_invoice_lines_formset.html",
    "payments/_invoice_charges_formset.html",
    "payments/_status.html",
    "pricing/_change_items.html",
    "pricing/_evidence.html",
    "planning/_diff.html",
    "pdf/audit_report.html",
    "pdf/purchase_order.html",
    "orders/_production_progress.html",
]

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


# --- Reading the catalogues (no polib: a few lines of .po parsing) -------------------------------------------


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def read_po(path: Path) -> dict[str, dict]:
    """Return the entries of a .po file by msgid: msgid_plural, msgstr (a list: one per plural form), flags."""
    entries, entry, field = {}, None, None

    def flush():
        if entry is not None and "msgid" in entry:
            entries[entry["msgid"]] = entry

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
            entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif match := re.match(r"^(msgid_plural|msgid|msgstr(?:\[(\d+)\])?) (\".*\")$", line):
            key, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if key.startswith("msgstr"):
                field = ("msgstr", int(index or 0))
                entry["msgstr"][field[1]] = value
            else:
                field = (key, None)
                entry[key] = value
        else:
            value = _unquote(line)
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += value
            else:
                entry[field[0]] += value
    flush()
    entries.pop("", None)  # the header
    for entry in entries.values():
        entry["msgstr"] = [entry["msgstr"][i] for i in sorted(entry["msgstr"])]
    return entries


@pytest.fixture(scope="module")
def catalogues() -> dict[str, dict[str, dict]]:
    return {locale: read_po(ROOT / "locale" / locale / "LC_MESSAGES" / "django.po") for locale in LOCALES}


def template_msgids(path: Path) -> set[str]:
    """The msgids makemessages takes from a template: {% translate %}, {% blocktranslate %} and _("...")."""
    source = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    # templatize keeps the template's line structure; its indentation means nothing to the tokenizer.
    return _gettext_calls("\n".join(line.lstrip() for line in source.splitlines()))


def python_msgids(path: Path) -> set[str]:
    """The msgids of the gettext calls of a Python module (gettext, gettext_lazy, _, ngettext ...)."""
    return _gettext_calls(path.read_text(encoding="utf-8"))


GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "gettext_noop"}


def _gettext_calls(source: str) -> set[str]:
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(source).readline)
        if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)
    ]
    found = set()
    for i, token in enumerate(tokens[:-2]):
        if token.type == tokenize.NAME and token.string in GETTEXT_NAMES and tokens[i + 1].string == "(":
            # A msgid may be several adjacent literals ("a" "b"): join them, as xgettext does.
            parts, j = [], i + 2
            while j < len(tokens) and tokens[j].type == tokenize.STRING:
                parts.append(ast.literal_eval(tokens[j].string))
                j += 1
            if parts:
                found.add("".join(parts))
    return found


def portal_templates() -> list[Path]:
    paths = sorted((TEMPLATES / "portal").rglob("*.html"))
    for pattern in SHARED_TEMPLATES:
        matched = sorted(TEMPLATES.glob(pattern))
        assert matched, f"no template matches {pattern}"
        paths += matched
    return paths


# --- (a) A factory contact reads the portal in their language -------------------------------------------------


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request in Chinese leaves Chinese active in this thread: put English back for the tests that follow."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def portal_client(client, user, language):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def page(client, name) -> str:
    response = client.get(reverse(name))
    assert response.status_code == 200, name
    return response.content.decode()


PORTAL_WORDS = {
    "zh-hans": {
        "menu": [
            "首页",
            "评分卡",
            "联系人",
            "证书",
            "订单",
            "发票",
            "付款条件",
            "例会",
            "问题",
            "质量",
            "检验报告",
            "检测报告",
            "纠正措施",
            "个人资料和 API 令牌",
            "退出登录",
        ],
        "home": ["公司资料", "法定名称", "合作状态", "您在我方公司的联系人", "管理联系人"],
        "orders": ["采购订单", "下单", "下一个承诺交期", "已发送", "请确认"],
        "scorecard": [
            "您的评分卡",
            "供应商 KPI",
            "双向评分卡：我方表现",
            "准时交货率",
            "不良率",
            "需要共同改进的方面",
            "周期",
            "趋势",
        ],
        "profile": ["您的偏好设置", "姓名", "时区", "语言", "简体中文", "Tiếng Việt", "保存", "API 令牌"],
        "english": ["Your scorecard", "Company profile", "Your preferences", "Sign out"],
    },
    "vi": {
        "menu": [
            "Trang chủ",
            "Bảng đánh giá",
            "Người liên hệ",
            "Chứng nhận",
            "Đơn hàng",
            "Hóa đơn",
            "Điều khoản thanh toán",
            "Họp định kỳ",
            "Vấn đề",
            "Chất lượng",
            "Báo cáo kiểm tra",
            "Báo cáo thử nghiệm",
            "Hành động khắc phục",
            "Hồ sơ và mã API",
            "Đăng xuất",
        ],
        "home": ["Hồ sơ công ty", "Tên pháp lý", "Trạng thái hợp tác", "Quản lý người liên hệ"],
        "orders": ["Ngày cam kết tiếp theo", "Đã gửi", "vui lòng xác nhận"],
        "scorecard": [
            "Bảng đánh giá của bạn",
            "KPI của nhà cung cấp",
            "Đánh giá hai chiều: phía chúng tôi",
            "Giao hàng đúng hạn",
            "Tỷ lệ lỗi",
            "Những điểm cần cùng cải thiện",
            "Xu hướng",
        ],
        "profile": [
            "Tùy chọn của bạn",
            "Họ và tên",
            "Múi giờ",
            "Ngôn ngữ",
            "简体中文",
            "Tiếng Việt",
            "Lưu",
            "Mã API",
        ],
        "english": ["Your scorecard", "Company profile", "Your preferences", "Sign out"],
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "vi"])
def test_a_factory_contact_reads_the_portal_in_their_language(client, portal_a, supplier_a, language):
    PurchaseOrderFactory(supplier=supplier_a)  # sent: the list asks the factory to acknowledge it
    client = portal_client(client, portal_a, language)
    words = PORTAL_WORDS[language]
    pages = {
        "home": page(client, "portal:home"),
        "orders": page(client, "portal:orders"),
        "scorecard": page(client, "portal:scorecard"),
        "profile": page(client, "accounts:profile"),
    }
    for name, body in pages.items():
        assert f'<html lang="{language}">' in body, name
        for word in words["menu"] + words[name]:
            assert word in body, f"{word!r} missing on the {name} page in {language}"
        for english in words["english"]:
            assert english not in body, f"{english!r} left in English on the {name} page in {language}"


@pytest.mark.django_db
def test_messages_and_form_errors_come_in_the_contacts_language(client, portal_a):
    client = portal_client(client, portal_a, "zh-hans")
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "李伟", "timezone": "Asia/Shanghai", "language": "zh-hans"},
        follow=True,
    )
    assert "您的偏好设置已保存。" in response.content.decode()
    today = timezone.localdate()
    response = client.post(
        reverse("portal:checkins"),
        {  # a closure that ends before it starts
            "starts_on": today + timedelta(days=10),
            "ends_on": today + timedelta(days=5),
            "reason": "设备检修",
        },
    )
    assert response.status_code == 400
    assert "停工结束日期不能早于开始日期。" in response.content.decode()


@pytest.mark.django_db
def test_the_partner_wording_of_red_flags_is_translated():
    from portal.scorecard_views import PARTNER_WORDING

    for locale, language in LOCALES.items():
        with translation.override(language):
            for rule, text in PARTNER_WORDING.items():
                with translation.override("en"):
                    english = str(text)
                assert str(text) != english, f"{rule}: {english!r} is not translated in {locale}"


def _chinese_font_installed() -> bool:
    fc_list = shutil.which("fc-list")
    return bool(
        fc_list and subprocess.run([fc_list, ":lang=zh"], capture_output=True, text=True).stdout.strip()
    )


@pytest.mark.django_db
@pytest.mark.skipif(
    not _chinese_font_installed(), reason="no Chinese font: apt-get install fonts-wqy-microhei"
)
def test_the_audit_report_pdf_in_chinese_has_a_font_with_chinese_glyphs(client, portal_a, objects_a):
    client = portal_client(client, portal_a, "zh-hans")
    response = client.get(reverse("portal:audit_pdf", args=[objects_a["audit"].pk]))
    reader = PdfReader(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    assert "审核报告" in reader.pages[0].extract_text()
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("DejaVu" not in font for font in fonts), f"only DejaVu (no Chinese glyphs): {fonts}"


# --- Languages no longer offered ----------------------------------------------------------------------------


def test_only_languages_with_a_catalogue_are_offered():
    offered = [code for code, _name in settings.LANGUAGES]
    assert offered == ["en", "zh-hans", "vi"]
    for code in offered[1:]:
        locale = translation.to_locale(code)
        assert (ROOT / "locale" / locale / "LC_MESSAGES" / "django.mo").is_file(), code
    assert offered_language("tr") == offered_language("") == offered_language(None) == "en"
    assert offered_language("vi") == "vi"


@pytest.mark.django_db
def test_a_user_whose_language_is_no_longer_offered_gets_english_and_can_save_the_profile(client, portal_a):
    User.objects.filter(pk=portal_a.pk).update(language="tr")  # as chosen before Turkish was withdrawn
    client.force_login(portal_a)
    body = page(client, "accounts:profile")
    assert '<html lang="en">' in body and "Your preferences" in body
    response = client.post(
        reverse("accounts:profile"), {"full_name": "Ada", "timezone": "UTC", "language": "vi"}
    )
    assert response.status_code == 302
    portal_a.refresh_from_db()
    assert portal_a.language == "vi"
    response = client.post(
        reverse("accounts:profile"), {"full_name": "Ada", "timezone": "UTC", "language": "tr"}
    )
    assert response.status_code == 200  # the form refuses a language that is not offered
    portal_a.refresh_from_db()
    assert portal_a.language == "vi"


@pytest.mark.django_db
def test_new_users_with_a_language_no_longer_offered_get_english():
    user = User.objects.create_user("joao@factory.test", "pw-for-tests-123", full_name="João", language="pt")
    assert user.language == "en"


@pytest.mark.django_db
def test_the_migration_moves_languages_no_longer_offered_to_english(buyer, portal_a):
    User.objects.filter(pk=buyer.pk).update(language="es")
    User.objects.filter(pk=portal_a.pk).update(language="zh-hans")
    migration = importlib.import_module("accounts.migrations.0003_user_language_offered")
    migration.fall_back_to_english(apps, None)
    assert User.objects.get(pk=buyer.pk).language == "en"
    assert User.objects.get(pk=portal_a.pk).language == "zh-hans"


# --- (b) Every portal string has a checked translation in both catalogues -------------------------------------


def _assert_translated(msgids: dict[str, set[str]], catalogues):
    missing = []
    for locale, entries in catalogues.items():
        for msgid, where in sorted(msgids.items()):
            entry = entries.get(msgid)
            if entry is None:
                missing.append(f"{locale}: {msgid!r} ({', '.join(sorted(where))}) is not in the catalogue")
            elif "fuzzy" in entry["flags"]:
                missing.append(f"{locale}: {msgid!r} is fuzzy (ignored at runtime)")
            elif not entry["msgstr"] or not all(s.strip() for s in entry["msgstr"]):
                missing.append(f"{locale}: {msgid!r} has no translation")
    assert not missing, (
        "Untranslated portal strings. Run `manage.py makemessages -l zh_Hans -l vi --ignore=.venv "
        "--ignore=bench --ignore=tests --ignore=var --no-obsolete`, translate, then `compilemessages`:\n"
        + "\n".join(missing)
    )


def test_every_string_of_the_portal_templates_is_translated(catalogues):
    msgids: dict[str, set[str]] = {}
    for path in portal_templates():
        for msgid in template_msgids(path):
            msgids.setdefault(msgid, set()).add(str(path.relative_to(TEMPLATES)))
    assert len(msgids) > 300  # the parse found the portal's strings
    _assert_translated(msgids, catalogues)


def test_every_string_of_the_portal_code_is_translated(catalogues):
    msgids: dict[str, set[str]] = {}
    # The portal's own modules, and the template tags its shared templates load (the scorecard's KPI cell).
    paths = [
        *sorted((ROOT / "portal").glob("*.py")),
        ROOT / "scorecards" / "templatetags" / "scorecard_tags.py",
    ]
    for path in paths:
        for msgid in python_msgids(path):
            msgids.setdefault(msgid, set()).add(path.name)
    assert "An issue is waiting for your reply." in msgids
    assert "insufficient data" in msgids
    _assert_translated(msgids, catalogues)


def test_no_entry_is_left_fuzzy(catalogues):
    for locale, entries in catalogues.items():
        fuzzy = [msgid for msgid, entry in entries.items() if "fuzzy" in entry["flags"]]
        assert not fuzzy, f"{locale}: fuzzy entries are ignored at runtime: {fuzzy}"


# --- (c) Translations keep their placeholders and markup -----------------------------------------------------


def test_translations_keep_every_placeholder_and_tag(catalogues):
    wrong = []
    for locale, entries in catalogues.items():
        for msgid, entry in entries.items():
            expected = set(PLACEHOLDER.findall(msgid)) | set(PLACEHOLDER.findall(entry["msgid_plural"] or ""))
            tags = sorted(re.findall(r"</?\w+", msgid))
            for msgstr in entry["msgstr"]:
                if not msgstr:
                    continue
                if set(PLACEHOLDER.findall(msgstr)) != expected:
                    wrong.append(f"{locale}: {msgid!r} → {msgstr!r}")
                if sorted(re.findall(r"</?\w+", msgstr)) != tags:
                    wrong.append(f"{locale}: markup differs in {msgid!r} → {msgstr!r}")
                if "%%" in msgid and msgstr.count("%%") != msgid.count("%%"):
                    wrong.append(f"{locale}: a literal %% is lost in {msgid!r} → {msgstr!r}")
    assert not wrong, "\n".join(wrong)


def test_one_plural_form_for_chinese_and_vietnamese(catalogues):
    for locale in LOCALES:
        header = (ROOT / "locale" / locale / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
        assert "Plural-Forms: nplurals=1; plural=0;" in header
        for msgid, entry in catalogues[locale].items():
            if entry["msgid_plural"] is not None:
                assert len(entry["msgstr"]) == 1, msgid


def test_the_committed_mo_files_match_the_po_files(catalogues):
    """CI has no gettext: the .mo files are committed, and must be compiled from the current .po files."""
    for locale, entries in catalogues.items():
        with open(ROOT / "locale" / locale / "LC_MESSAGES" / "django.mo", "rb") as mo:
            compiled = gettext_module.GNUTranslations(mo)._catalog
        stale = []
        for msgid, entry in entries.items():
            if not all(entry["msgstr"]) or "fuzzy" in entry["flags"]:
                continue
            if entry["msgid_plural"] is None:
                if compiled.get(msgid) != entry["msgstr"][0]:
                    stale.append(msgid)
            elif compiled.get((msgid, 0)) != entry["msgstr"][0]:
                stale.append(msgid)
        assert not stale, f"{locale}: run `manage.py compilemessages --ignore=.venv`; stale: {stale[:5]}"


# --- (d) Staff pages stay in English ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_pages_stay_in_english(client, buyer, supplier_a):
    assert buyer.language == "en"
    client.force_login(buyer)
    for name, words in {
        "home": ["Dashboard", "Suppliers", "Scorecards", "Red flags"],
        "suppliers:list": ["Suppliers", "Search"],
        "orders:list": ["Purchase orders"],
        "accounts:profile": ["Your preferences", "English", "简体中文", "Tiếng Việt"],
    }.items():
        body = page(client, name)
        assert '<html lang="en">' in body, name
        for word in words:
            assert word in body, f"{word!r} missing on {name}"
        assert not re.search(r"[\u4e00-\u9fff]", body.replace("简体中文", "")), f"Chinese on {name}"


@pytest.mark.django_db
def test_a_staff_user_who_picks_chinese_is_not_forced_back_to_english(client, buyer):
    client = portal_client(client, buyer, "zh-hans")
    assert "仪表板" in page(client, "home")  # the navigation is translated; staff pages may stay English


@pytest.mark.parametrize(
    ("language", "watch", "probation"),
    [("zh-hans", "观察", "考察期"), ("vi", "theo dõi", "thời gian thử thách")],
)
def test_a_standing_reads_in_the_viewers_language_while_the_api_keeps_its_code(language, watch, probation):
    from scorecards.selectors import SupplierCard

    card, low = (
        SupplierCard(supplier=None, standing="watch"),
        SupplierCard(supplier=None, standing="probation"),
    )
    with translation.override(language):
        assert (card.standing_label, low.standing_label) == (watch, probation)
    assert (card.standing, card.standing_label) == ("watch", "watch")
