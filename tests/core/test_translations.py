"""The Russian and Kazakh translations: every string of the app translated, nothing fuzzy, placeholders kept,
the .po files in step with the code, and pages and the admin served in the language asked for.

The pages are served from .mo files compiled here from the committed .po files (`compiled_locale`), so the
tests check what is committed, whether or not `make translations` ran since the last edit.
"""

import ast
import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, translation

from tests.cases.factories import DetentionFactory
from tests.events.factories import PlaceFactory
from tests.people.factories import PersonFactory

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["ru", "kk"]
# Kuzet's catalogs, and locale/django/: Kazakh for what Django's own Kazakh catalogs leave untranslated.
CATALOGS = sorted(path.relative_to(LOCALE).as_posix() for path in LOCALE.rglob("*.po"))
# Where makemessages looks for strings, and what it skips (the Makefile's `messages` target says the same).
IGNORED = [".venv", "tests", "bench", "staticfiles", "media"]


def parse_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a list: one item per plural form),
    flags and whether the entry is obsolete (#~). The header is the entry whose msgid is empty."""
    entries, entry, field = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry is not None and entry["msgid"] is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}, "flags": set()}
            entry["obsolete"] = False
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            text = ast.literal_eval(line)
        else:
            text = ast.literal_eval(rest)
            field = keyword
        if field.startswith("msgstr"):
            index = int(field[7:-1]) if "[" in field else 0
            entry["msgstr"][index] = entry["msgstr"].get(index, "") + text
        else:
            entry[field] = (entry[field] or "") + text
    for entry in entries:
        entry["msgstr"] = [entry["msgstr"][i] for i in sorted(entry["msgstr"])]
    return entries


def _messages(catalog: str) -> list[dict]:
    return [e for e in parse_po(LOCALE / catalog) if not e["obsolete"]]


def _catalog(language: str) -> str:
    return f"{language}/LC_MESSAGES/django.po"


def _label(entry: dict) -> str:
    return f"{entry['msgctxt']}|{entry['msgid']}" if entry["msgctxt"] else entry["msgid"]


PLACEHOLDER = re.compile(r"%\((\w+)\)[sdfr]|\{(\w*)\}")


def _placeholders(text: str) -> set[str]:
    return {named or braced for named, braced in PLACEHOLDER.findall(text)}


def compile_locale(target: Path) -> Path:
    """Compile every committed .po into `target` with `msgfmt --check` (format strings, header, domain)."""
    for po in LOCALE.rglob("*.po"):
        mo = target / po.relative_to(LOCALE).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(  # noqa: S603 — a fixed program on our own files
            ["msgfmt", "--check", "-o", str(mo), str(po)],  # noqa: S607 — gettext, installed by `make test`
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    return target


@pytest.fixture(scope="session")
def compiled_locale(tmp_path_factory):
    return compile_locale(tmp_path_factory.mktemp("locale"))


@pytest.fixture
def served_translations(settings, compiled_locale):
    """Serve the committed translations (changing LOCALE_PATHS makes Django drop its cached catalogs)."""
    settings.LOCALE_PATHS = served_locale_paths(compiled_locale)


def served_locale_paths(compiled: Path) -> list[str]:
    """LOCALE_PATHS, each pointing into the compiled copy instead of locale/."""
    return [str(compiled / Path(path).relative_to(LOCALE)) for path in settings.LOCALE_PATHS]


# --- The .po files ------------------------------------------------------------------------------------------


def test_every_language_has_its_catalog_in_locale_paths():
    assert {_catalog(language) for language in LANGUAGES} <= set(CATALOGS)
    assert "django/kk/LC_MESSAGES/django.po" in CATALOGS
    assert [Path(path) for path in settings.LOCALE_PATHS] == [LOCALE, LOCALE / "django"]


@pytest.mark.parametrize("catalog", CATALOGS)
def test_po_file_declares_its_language_and_plural_forms(catalog):
    header = next(e for e in parse_po(LOCALE / catalog) if e["msgid"] == "")
    language = catalog.split("/")[-3]
    assert f"Language: {language}\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=" in header["msgstr"][0]
    assert "fuzzy" not in header["flags"]


@pytest.mark.parametrize("catalog", CATALOGS)
def test_every_message_is_translated(catalog):
    untranslated = [_label(e) for e in _messages(catalog) if e["msgid"] and not all(e["msgstr"])]
    assert untranslated == []


@pytest.mark.parametrize("catalog", CATALOGS)
def test_no_message_is_fuzzy(catalog):
    fuzzy = [_label(e) for e in _messages(catalog) if e["msgid"] and "fuzzy" in e["flags"]]
    assert fuzzy == []


@pytest.mark.parametrize("catalog", CATALOGS)
def test_translations_keep_every_placeholder(catalog):
    wrong = []
    for entry in _messages(catalog):
        if not entry["msgid"]:
            continue
        expected = _placeholders(entry["msgid"]) | _placeholders(entry["msgid_plural"] or "")
        for form in entry["msgstr"]:
            if form and _placeholders(form) != expected:
                wrong.append((_label(entry), form))
    assert wrong == []


def test_po_files_compile_with_msgfmt_check(tmp_path):
    compiled = compile_locale(tmp_path)
    assert sorted(p.relative_to(compiled).as_posix() for p in compiled.rglob("*.mo")) == [
        catalog.replace(".po", ".mo") for catalog in CATALOGS
    ]


def test_po_files_hold_every_string_of_the_code(tmp_path, monkeypatch, settings):
    """A string marked in the code but missing from a .po would show in English: run `make messages`."""
    source = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    shutil.copytree(
        source,
        copy,
        ignore=shutil.ignore_patterns(
            *IGNORED, "locale", "static", ".*", "__pycache__", "*.sqlite3", "*.egg-info"
        ),
    )
    (copy / "locale").mkdir()
    settings.LOCALE_PATHS = [str(copy / "locale")]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["xx"], keep_pot=True, add_location="never", verbosity=0)
    in_code = {(e["msgctxt"], e["msgid"]) for e in parse_po(copy / "locale" / "django.pot") if e["msgid"]}
    assert len(in_code) > 100
    for language in LANGUAGES:
        in_po = {(e["msgctxt"], e["msgid"]) for e in _messages(_catalog(language))}
        assert sorted(in_code - in_po, key=str) == [], language


# --- Pages and the admin ------------------------------------------------------------------------------------


@pytest.fixture
def as_monitor(client, monitor, served_translations):
    client.force_login(monitor)
    return client


@pytest.mark.django_db
def test_search_page_in_russian_by_accept_language(as_monitor):
    response = as_monitor.get(reverse("cases:person-search"), HTTP_ACCEPT_LANGUAGE="ru")
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert "<h1>Поиск людей</h1>" in html
    assert "Search people" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "place", "born", "status"),
    [
        ("en", "Testgrad", "c. 1956", "Released"),
        ("ru", "Тестоград", "ок. 1956", "Освобождён"),
        ("kk", "Тестқала", "шамамен 1956", "Босатылды"),
    ],
)
def test_search_results_speak_the_language(as_monitor, language, place, born, status):
    person = PersonFactory(
        full_name="Testova Aliya",
        birth_date=dt.date(1956, 1, 1),
        birth_date_precision="year",
        birth_date_certainty="approximate",
    )
    city = PlaceFactory(name_en="Testgrad", name_ru="Тестоград", name_kk="Тестқала")
    DetentionFactory(person=person, place=city, detained_at=dt.datetime(2019, 2, 27, 6, 0, tzinfo=dt.UTC))
    response = as_monitor.get(reverse("cases:person-search"), {"q": "Testova"}, HTTP_ACCEPT_LANGUAGE=language)
    row = response.content.decode().split('<tr class="result">')[1]
    assert f", {place}" in row
    assert born in row
    assert f">{status}</span>" in row


@pytest.mark.django_db
def test_search_page_in_kazakh_by_language_cookie(as_monitor):
    as_monitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    response = as_monitor.get(reverse("cases:person-search"), HTTP_ACCEPT_LANGUAGE="ru")
    html = response.content.decode()
    assert '<html lang="kk">' in html
    assert "<h1>Адамдарды іздеу</h1>" in html


@pytest.mark.django_db
def test_search_page_in_english_by_default(as_monitor):
    response = as_monitor.get(reverse("cases:person-search"))
    assert "<h1>Search people</h1>" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title", "model", "logout", "recent"),
    [
        ("ru", "Записи по делам", "Задержания", "Выйти", "Последние действия"),
        # "Recent actions" is one of the strings Django's Kazakh leaves untranslated: locale/django/kk.
        ("kk", "Іс жазбалары", "Ұстаулар", "Шығу", "Соңғы әрекеттер"),
    ],
)
def test_admin_index_in_the_language_asked_for(as_monitor, language, title, model, logout, recent):
    response = as_monitor.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert f"<h1>{title}</h1>" in html
    assert f">{model}</a>" in html
    assert logout in html
    assert f"<h2>{recent}</h2>" in html


@pytest.mark.django_db
def test_admin_calendar_in_kazakh(as_monitor):
    """The admin's date picker: Django's Kazakh JavaScript catalog lacks it, locale/django/kk gives it."""
    response = as_monitor.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="kk")
    script = response.content.decode()  # JSON: non-ASCII letters come as \u escapes
    assert f'"Choose a Date": {json.dumps("Күнді таңдаңыз")}' in script
    assert f'"February": {json.dumps("Ақпан")}' in script


@pytest.mark.django_db
def test_language_switcher_keeps_the_user_on_the_same_page(as_monitor):
    page = reverse("cases:person-search") + "?q=Testov&page=1"
    response = as_monitor.post(reverse("set_language"), {"language": "ru", "next": page})
    assert response.status_code == 302
    assert response["Location"] == page
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    assert "<h1>Поиск людей</h1>" in as_monitor.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_language_switcher_refuses_a_language_we_do_not_have(as_monitor):
    response = as_monitor.post(reverse("set_language"), {"language": "xx", "next": "/search/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


# --- Dates and numbers --------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "day"), [("en", "02/27/2019"), ("ru", "27.02.2019"), ("kk", "27.02.2019")]
)
def test_dashboard_dates_follow_the_language(as_monitor, language, day):
    DetentionFactory(detained_at=dt.datetime(2019, 2, 27, 6, 0, tzinfo=dt.UTC))
    response = as_monitor.get(
        reverse("cases:dashboard"), {"from": "2019-02-26", "to": "2019-02-28"}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    assert f"<title>{day}: 1</title>" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "number", "date"),
    [
        ("en", "1,234.5", "Feb. 27, 2019"),
        ("ru", "1\xa0234,5", "27 февраля 2019 г."),
        ("kk", "1\xa0234,5", "27.02.2019"),
    ],
)
def test_numbers_and_dates_are_localised(served_translations, language, number, date):
    with translation.override(language):
        assert formats.number_format(1234.5, decimal_pos=1, force_grouping=True) == number
        assert formats.date_format(dt.date(2019, 2, 27)) == date


def test_kazakh_forms_accept_kazakh_and_iso_dates():
    with translation.override("kk"):
        assert "%d.%m.%Y" in formats.get_format("DATE_INPUT_FORMATS")
        assert "%Y-%m-%d" in formats.get_format("DATE_INPUT_FORMATS")
