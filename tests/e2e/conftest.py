"""A real Chromium (Debian's package) driven by Playwright against pytest-django's live server."""

import importlib
import os
import shutil

import pytest
from django.apps import apps as django_apps

from core.roles import sync_roles

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around it are
# ordinary synchronous calls, so Django's async-safety guard would refuse them without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# The data migrations that seed what the demo data refers to (module, function); each is idempotent.
REFERENCE_SEEDS = [
    ("events.migrations.0002_seed_places", "seed_places"),
    ("events.migrations.0003_seed_causes", "seed_causes"),
    ("people.migrations.0002_seed_group_tags", "seed_group_tags"),
    ("cases.migrations.0002_seed_legal_articles", "seed_legal_articles"),
    ("cases.migrations.0003_seed_treatments", "seed_treatments"),
    ("cases.migrations.0004_seed_custody_credit_and_appeal_terms", "seed_terms"),
    ("reports.migrations.0004_seed_definitions", "seed_definitions"),
]


@pytest.fixture
def reference_data(transactional_db):
    """The migrations' reference rows and the roles, seeded again. An earlier transactional test flushes
    them, and serialized_rollback does not always put them back: when a plain test ran first, the
    session's live server reaches the database through a connection object that lacks the serialized
    copy (measured: "Reference data missing: group tag" otherwise, on SQLite and PostgreSQL)."""
    for module, function in REFERENCE_SEEDS:
        getattr(importlib.import_module(module), function)(django_apps, None)
    sync_roles(django_apps)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", timezone_id="Asia/Almaty")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def login(page, live_server):
    def _login(user, password):
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_selector("#user-tools")

    return _login
