"""A small ClamAV client: send a file to `clamd` with its INSTREAM command and read the verdict.

Why our own: the `clamd` (2014) and `pyclamd` (2017) packages are unmaintained, and INSTREAM is a
few lines of a documented protocol (clamd(8), "INSTREAM"): the command, then the file in chunks each
preceded by its length as a 4-byte big-endian number, then a zero length; clamd answers
`stream: OK`, `stream: <signature> FOUND` or `... ERROR`. The `z` prefix makes each message end in a
NUL byte. Any failure to get a clear answer raises ScannerUnavailable, so callers fail closed.
"""

import socket
import struct

CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    """clamd is configured but could not give a verdict (not running, timed out, refused the file)."""


def _connect(*, socket_path: str, host: str, port: int, timeout: float) -> socket.socket:
    try:
        if socket_path:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(socket_path)
        else:
            sock = socket.create_connection((host, port), timeout=timeout)
    except OSError as error:
        raise ScannerUnavailable(f"cannot reach clamd: {error}") from error
    return sock


def instream(fileobj, *, socket_path: str = "", host: str = "", port: int = 3310, timeout: float = 30) -> str | None:
    """The name of the signature clamd found in the file, or None when it is clean.

    Reads the file from its current position in chunks (never all at once) and leaves it at the end.
    """
    sock = _connect(socket_path=socket_path, host=host, port=port, timeout=timeout)
    try:
        with sock:
            sock.sendall(b"zINSTREAM\0")
            while chunk := fileobj.read(CHUNK):
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                data = sock.recv(4096)
                if not data:
                    break
                answer += data
                if len(answer) > 4096:
                    break
    except OSError as error:  # includes timeouts and clamd closing the connection when a size limit is hit
        raise ScannerUnavailable(f"clamd stopped answering: {error}") from error
    text = answer.rstrip(b"\0").decode("utf-8", "replace").strip()
    if text.endswith("FOUND"):
        return text.removeprefix("stream:").removesuffix("FOUND").strip() or "unknown"
    if text == "stream: OK":
        return None
    raise ScannerUnavailable(f"clamd gave no verdict: {text or '(nothing)'}")
