"""The demo monitor switches the pages to Russian with the language switcher in a real browser, stays on the
same page, and finds the admin in Russian too; then switches to Kazakh."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from cases.demo.load import demo_load
from tests.conftest import PASSWORD
from tests.core.test_translations import compile_locale, served_locale_paths

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture
def served_translations(settings, tmp_path):
    """The live server speaks the committed .po files, compiled for this test."""
    settings.LOCALE_PATHS = served_locale_paths(compile_locale(tmp_path / "locale"))


def test_demo_monitor_switches_to_russian(page, live_server, login, served_translations, reference_data):
    demo_load(password=PASSWORD)
    ARTIFACTS.mkdir(exist_ok=True)

    login(get_user_model().objects.get(username="demo-monitor"), PASSWORD)
    page.goto(f"{live_server.url}/search/?q=Zhunusov")
    page.wait_for_selector("h1:has-text('Search people')")
    assert page.locator("tr.result", has_text="Bolathan Zhunusov").count() == 1

    page.select_option("#language-select", "ru")
    page.click("form.language button[type=submit]")
    page.wait_for_selector("h1:has-text('Поиск людей')")

    # The same page, the same search, now in Russian.
    assert page.url == f"{live_server.url}/search/?q=Zhunusov"
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.input_value("#topbar-q") == "Zhunusov"
    assert page.locator("tr.result", has_text="Bolathan Zhunusov").count() == 1
    assert page.locator("table.results th").all_inner_texts() == ["Человек", "Последнее задержание", "Статус"]
    assert {"Поиск", "Сводка", "Администрирование"} <= set(page.locator("nav.topbar-nav a").all_inner_texts())
    assert page.locator("#language-select").input_value() == "ru"
    page.screenshot(path=str(ARTIFACTS / "language-switch-search-ru.png"), full_page=True)

    page.click("nav.topbar-nav >> text=Администрирование")
    page.wait_for_selector("h1:has-text('Записи по делам')")
    user_tools = page.locator("#user-tools").text_content()  # the admin shows it in capitals (CSS)
    assert "Изменить пароль" in user_tools
    assert "Выйти" in user_tools
    assert page.locator("a", has_text="Задержания").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "language-switch-admin-ru.png"), full_page=True)

    # And on to Kazakh, from the dashboard this time.
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector("h1:has-text('Сводка')")
    page.select_option("#language-select", "kk")
    page.click("form.language button[type=submit]")
    page.wait_for_selector("h1:has-text('Жиынтық тақта')")
    assert page.url == f"{live_server.url}/dashboard/"
    assert page.locator("html").get_attribute("lang") == "kk"
    page.screenshot(path=str(ARTIFACTS / "language-switch-dashboard-kk.png"), full_page=True)
