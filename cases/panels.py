"""Sections that apps above `cases` add to the person page and the dashboard.

The person page and the dashboard live in `cases`, which may not import the apps built on it (`reports`
shows there what was sent to international bodies about a person). Those apps register a panel here from
their AppConfig.ready(); the page renders every registered panel in registration order. A panel is a
template and a function giving its context: `context(user=, person=)` on the person page,
`context(user=, today=)` on the dashboard.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[..., dict]


PERSON_PANELS: list[Panel] = []
DASHBOARD_PANELS: list[Panel] = []


def panel_register(panels: list[Panel], panel: Panel) -> None:
    """Add `panel` once (ready() may run more than once in tests)."""
    if panel not in panels:
        panels.append(panel)


def panels_render(panels: list[Panel], *, request, **arguments) -> list[SafeString]:
    """Each panel rendered with its context (the panel's own queries) as HTML for the page to place."""
    return [
        render_to_string(panel.template, panel.context(**arguments), request=request) for panel in panels
    ]
