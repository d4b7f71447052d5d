"""A stand-in HTTP SMS gateway for the tests, on loopback.

Usage: sms_gateway.py PORT DIR [REPORT_URL REPORT_TOKEN]

Each POST is recorded as DIR/NNNN.json ({"path", "authorization",
"body"}) and answered 200 {"id": "gw-NNNN", "status": "queued"}, except
while DIR/fail holds a number N > 0: the request is then answered 503 and
N goes down by one (to play a gateway that is down for a while).

With REPORT_URL, each message accepted is then reported delivered, as a
real gateway does once the phone has it: a POST of {"id", "status":
"delivered"} to REPORT_URL with "Authorization: Bearer REPORT_TOKEN";
the answer's status is appended to DIR/reports.log.
"""
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

PORT = int(sys.argv[1])
DIR = sys.argv[2]
REPORT_URL = sys.argv[3] if len(sys.argv) > 4 else None
REPORT_TOKEN = sys.argv[4] if len(sys.argv) > 4 else None


def report(gid):
    """Tells the sender its message gid was delivered."""
    time.sleep(0.3)  # after the sender has recorded the id
    req = urllib.request.Request(
        REPORT_URL,
        data=json.dumps({"id": gid, "status": "delivered"}).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": "Bearer " + REPORT_TOKEN,
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            code = r.status
    except urllib.error.HTTPError as e:
        code = e.code
    except OSError:
        code = 0
    with open(os.path.join(DIR, "reports.log"), "a") as f:
        f.write("%s %d\n" % (gid, code))


class Gateway(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, code, obj):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(n)
        fail = os.path.join(DIR, "fail")
        if os.path.exists(fail):
            left = int(open(fail).read().strip() or "0")
            if left > 0:
                open(fail, "w").write(str(left - 1))
                self.answer(503, {"error": "down"})
                return
        k = len([f for f in os.listdir(DIR) if f.endswith(".json")]) + 1
        rec = {
            "path": self.path,
            "authorization": self.headers.get("Authorization", ""),
            "body": json.loads(raw.decode()),
        }
        tmp = os.path.join(DIR, "%04d.tmp" % k)
        with open(tmp, "w") as f:
            json.dump(rec, f)
        os.rename(tmp, os.path.join(DIR, "%04d.json" % k))
        self.answer(200, {"id": "gw-%04d" % k, "status": "queued"})
        if REPORT_URL:
            threading.Thread(target=report, args=("gw-%04d" % k,)).start()


HTTPServer(("127.0.0.1", PORT), Gateway).serve_forever()
