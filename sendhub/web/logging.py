"""One log line per event, as `key=value` pairs that grep, awk and log shippers read without a parser.

    ts=2026-12-01T16:40:02.113Z level=INFO logger=sendhub.request msg=request request_id=3f2c… method=GET path=/children/42/ status=200 duration_ms=31

Values with spaces, quotes or `=` are quoted. Fields come from the record's `extra` (RequestLogMiddleware
passes request_id, method, path, status, duration_ms, user_id); exceptions follow as `exc="…"` on the
same line so one event stays one line.
"""

import datetime
import logging

# Attributes every LogRecord has: anything else on a record came from `extra=` and is logged as a field.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def _value(value) -> str:
    text = str(value)
    if text == "" or any(ch in text for ch in ' "=\n\t\\'):
        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
        return f'"{escaped}"'
    return text


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        ts = datetime.datetime.fromtimestamp(record.created, datetime.UTC)
        fields = {
            "ts": ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key != "request":
                fields[key] = value
        if record.exc_info:
            fields["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            fields["exc"] = record.exc_text
        return " ".join(f"{key}={_value(value)}" for key, value in fields.items())
