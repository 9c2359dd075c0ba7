"""One httpx client per process for every call Talad makes out (PEAK, webhooks).

Building an httpx.Client costs ~30 ms (its TLS context): once per delivery would be most of a
delivery's time. A shared client also keeps connections to the same host alive between
deliveries. httpx clients are safe to share between threads.
"""

import threading

import httpx

_lock = threading.Lock()
_client: httpx.Client | None = None


def http_client() -> httpx.Client:
    global _client
    if _client is None:
        with _lock:
            if _client is None:
                _client = httpx.Client(
                    follow_redirects=False,
                    limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
                    headers={"User-Agent": "Talad/1"},
                )
    return _client
