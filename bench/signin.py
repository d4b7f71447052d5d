#!/usr/bin/env python3
"""bench/signin.py - a demo staff account signed in as a person would, for
the benches that need a session (bench/http.sh): the temporary password
changed, TOTP enrolled and confirmed. Prints one line, the Cookie header
value wrk sends with each request.

Usage: bench/signin.py BASE_URL EMAIL TEMPORARY_PASSWORD
Standard library only; loopback only (the base URL is the bench's server).
"""
import base64
import hashlib
import hmac
import json
import struct
import sys
import time
import urllib.parse
import urllib.request

NEW_PASSWORD = "Marée haute sur les galets du port 2026"


def totp(secret_b32, at=None):
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    counter = int((at or time.time()) // 30)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    off = mac[-1] & 15
    code = (struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 1000000
    return "%06d" % code


def main():
    base, email, temp = sys.argv[1:4]
    # The cookies are kept by hand: they are Secure, and Python's cookie
    # jar sends none of those over the bench's plain loopback HTTP.
    cookies = {}

    def call(method, path, body=None):
        headers = {"Content-Type": "application/json"}
        if cookies:
            headers["Cookie"] = "; ".join("%s=%s" % kv for kv in cookies.items())
        if "XSRF-TOKEN" in cookies:
            headers["X-XSRF-TOKEN"] = urllib.parse.unquote(cookies["XSRF-TOKEN"])
        data = json.dumps(body).encode() if body is not None else b""
        req = urllib.request.Request(base + path, data=data if method != "GET" else None,
                                     headers=headers, method=method)
        with urllib.request.urlopen(req, timeout=10) as r:
            for line in r.headers.get_all("Set-Cookie") or []:
                name, _, rest = line.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
            text = r.read()
            return json.loads(text) if text else {}

    call("POST", "/api/v1/session", {"email": email, "password": temp})
    call("POST", "/api/v1/me/password",
         {"current_password": temp, "new_password": NEW_PASSWORD})
    uri = call("POST", "/api/v1/me/mfa/enrolment")["otpauth_uri"]
    secret = urllib.parse.parse_qs(urllib.parse.urlparse(uri).query)["secret"][0]
    call("POST", "/api/v1/me/mfa/confirmation", {"code": totp(secret)})
    print("; ".join("%s=%s" % kv for kv in cookies.items()))


if __name__ == "__main__":
    main()
