"""Reading /api/v1/changes/ and the list endpoints as a partner's client does (feed tests share these)."""

from django.db.models import Max

from cases.api_feed import encode_cursor
from core.models import ChangeLog

URL = "/api/v1/changes/"


def get(client, url=URL, **params):
    return client.get(url, params, HTTP_ACCEPT="application/json")


def now() -> str:
    """The cursor of the feed as it is: what a partner holds after reading everything so far."""
    return encode_cursor(ChangeLog.objects.aggregate(last=Max("seq"))["last"] or 0)


def drain(client, cursor: str | None = None, page_size: int = 1000) -> tuple[list[dict], str]:
    """Every entry after `cursor` (from the start if None), following `next`; and the cursor to resume at."""
    params = {"page_size": page_size, **({"cursor": cursor} if cursor else {})}
    response, entries = get(client, **params), []
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        entries.extend(body["results"])
        if body["next"] is None:
            return entries, body["cursor"]
        response = client.get(body["next"], HTTP_ACCEPT="application/json")


def listed(client, prefix: str) -> dict:
    """{uid: object} of every page of a list endpoint."""
    url, found = f"/api/v1/{prefix}/?page_size=500", {}
    while url:
        response = client.get(url, HTTP_ACCEPT="application/json")
        assert response.status_code == 200, response.content
        body = response.json()
        found.update((item["id"], item) for item in body["results"])
        url = body["next"]
    return found


def entry(entries, uid) -> dict:
    """The one entry of `uid` among `entries`."""
    (found,) = [e for e in entries if e["uid"] == str(uid)]
    return found
