#!/usr/bin/env python3
"""A console user for scripts/soak: logs in, then every PERIOD seconds asks for what the Overview and Blocks
pages ask for, over one keep-alive connection as a browser would, and appends one line per request to LOG:
"unix_time route status milliseconds" (the time the request started; milliseconds until the whole body was
read). Logs in again when the session ends (401). Runs until SIGTERM.

Usage: console-client.py PORT USER PASSWORD_FILE PERIOD LOG
"""
import http.client
import json
import signal
import sys
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

port, user, password_file, period, log_path = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]
with open(password_file, encoding="utf-8") as f:
    password = f.readline().rstrip("\n")
origin = f"http://127.0.0.1:{port}"
running = True


def stop(*_):
    global running
    running = False


signal.signal(signal.SIGTERM, stop)
conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=60)
cookie = None


def request(method, path, body=None):
    headers = {"Origin": origin}
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    return r, r.read()


def login():
    global cookie
    cookie = None
    r, body = request("POST", "/api/v1/auth/login", json.dumps({"username": user, "password": password}))
    if r.status != 200:
        sys.exit(f"console-client: login failed: {r.status} {body[:200]!r}")
    # The session cookie is the first name=value pair of Set-Cookie; the attributes stay with the server.
    cookie = "; ".join(v.split(";", 1)[0] for k, v in r.getheaders() if k.lower() == "set-cookie")


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def page_requests():
    """The Overview page's requests for the last seven days, then the Blocks page's first page."""
    now = datetime.now(timezone.utc)
    week = {"from": iso(now - timedelta(days=7)), "to": iso(now + timedelta(hours=1)), "instructional": "true"}
    return [
        ("top-domains-all", "/api/v1/reports/top-domains?" + urlencode({"limit": 1000})),
        ("trend", "/api/v1/reports/trend?" + urlencode(week)),
        ("top-domains-week", "/api/v1/reports/top-domains?" + urlencode({**week, "limit": 10})),
        ("heatmap", "/api/v1/reports/heatmap?" + urlencode(week)),
        ("blocks", "/api/v1/blocks?" + urlencode({"limit": 50})),
    ]


login()
with open(log_path, "a", encoding="utf-8") as log:
    while running:
        round_start = time.monotonic()
        for route, path in page_requests():
            started = time.time()
            t0 = time.monotonic()
            try:
                r, _ = request("GET", path)
                status = r.status
            except (OSError, http.client.HTTPException):
                conn.close()  # reconnects on the next request
                status = 0
            log.write(f"{started:.3f} {route} {status} {(time.monotonic() - t0) * 1000:.1f}\n")
            log.flush()
            if status == 401:
                login()
        time.sleep(max(0.0, period - (time.monotonic() - round_start)))
