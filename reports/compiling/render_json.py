"""The figures as JSON: plain types, keys sorted, so the same data gives the same bytes."""

import json


def render_json(figures: dict) -> bytes:
    return (json.dumps(figures, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()
