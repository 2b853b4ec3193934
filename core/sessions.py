"""Idle sessions end (issue 7, item 3): a signed-in session lives SESSION_COOKIE_AGE (SESSION_IDLE_MINUTES)
past the last request, not past the login.

Django's SESSION_SAVE_EVERY_REQUEST would get that by writing the session row on every request, polling
included. Here the session is renewed at most once a minute (as an API key records its last use), so the
idle limit holds to within a minute and most requests write nothing.
"""

import time

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.middleware import SessionMiddleware
from django.dispatch import receiver

RENEW_AFTER_SECONDS = 60
# When the session was last saved by a request of its user (epoch seconds).
ACTIVE_AT = "_kuzet_active_at"


class IdleSessionMiddleware(SessionMiddleware):
    """Django's session middleware, which also saves a signed-in session (and so moves its expiry on) when
    it was last saved more than a minute ago. Anonymous and empty sessions are left alone: a stale cookie
    never creates a session."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and session.session_key and SESSION_KEY in session:
            now = int(time.time())
            if session.modified or now - session.get(ACTIVE_AT, 0) >= RENEW_AFTER_SECONDS:
                session[ACTIVE_AT] = now
        return super().process_response(request, response)


@receiver(user_logged_in, dispatch_uid="kuzet-session-active-at")
def session_stamp_login(sender, request, user, **kwargs):
    """Fires on every login (the login form, and `Client.force_login` in tests): the new session counts as
    just renewed, so the first request after a login writes nothing."""
    if request is not None and hasattr(request, "session"):
        request.session[ACTIVE_AT] = int(time.time())
