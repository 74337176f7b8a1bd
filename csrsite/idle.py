"""Staff sessions end after SESSION_COOKIE_AGE without activity (DJANGO_STAFF_IDLE_MINUTES).

Each request of a signed-in account renews the session's expiry, but at most once every
RENEW_EVERY seconds, so that a busy editor's clicks do not each write the session row."""

import time

RENEW_EVERY = 60
SEEN = "_casebook_seen"


class StaffIdleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if "_auth_user_id" in session:
            now = int(time.time())
            if now - session.get(SEEN, 0) >= RENEW_EVERY:
                session[SEEN] = now  # modified: saved with a fresh expiry
        return self.get_response(request)
