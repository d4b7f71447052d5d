"""Reads the emails a test received, with standard parsers only.

Usage: mail_ics.py MAILDIR TO

Prints a JSON list, oldest first, of the messages of MAILDIR/new sent to
TO: {"subject", "text", "ics"}, ics being null or what python3-icalendar
(an iCalendar parser independent of libical) reads in the attached
.ics: method, and for the first event uid, sequence, status, summary,
location, attendee, tzid and dtstart as UTC ("2027-03-29T08:00:00Z").
"""
import datetime
import json
import os
import sys
from email import policy
from email.parser import BytesParser

import icalendar

MAILDIR, TO = sys.argv[1], sys.argv[2]
out = []
new = os.path.join(MAILDIR, "new")
paths = sorted((os.path.join(new, f) for f in os.listdir(new)),
               key=os.path.getmtime) if os.path.isdir(new) else []
for path in paths:
    m = BytesParser(policy=policy.default).parse(open(path, "rb"))
    if TO not in str(m["to"]):
        continue
    rec = {"subject": str(m["subject"]), "text": "", "ics": None}
    for part in m.walk():
        ct = part.get_content_type()
        if ct == "text/plain":
            rec["text"] = part.get_content()
        elif ct == "text/calendar":
            cal = icalendar.Calendar.from_ical(part.get_payload(decode=True))
            ev = next(c for c in cal.walk() if c.name == "VEVENT")
            start = ev.decoded("dtstart")
            utc = start.astimezone(datetime.timezone.utc)
            rec["ics"] = {
                "method": str(cal.get("method")),
                "content_method": part.get_param("method"),
                "uid": str(ev.get("uid")),
                "sequence": int(ev.get("sequence")),
                "status": str(ev.get("status")),
                "summary": str(ev.get("summary")),
                "location": str(ev.get("location", "")),
                "attendee": str(ev.get("attendee", "")),
                "tzid": ev["dtstart"].params.get("TZID", ""),
                "local": start.strftime("%Y-%m-%dT%H:%M"),
                "dtstart": utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
    out.append(rec)
print(json.dumps(out))
