"""A real SMTP server on a local port, for tests that send email over the wire (Django's SMTP backend, smtplib).

Python no longer ships smtpd and aiosmtpd is not a dependency, so this speaks the few commands a client sends:
EHLO/HELO, MAIL, RCPT, DATA (with dot-unstuffing), RSET, NOOP, QUIT. Each accepted message is kept, parsed.

A test can make it stall, so that it can kill the sending process at that moment: `stall = "mail"` holds the
answer to MAIL (nothing accepted yet), `stall = "quit"` holds the answer to QUIT (the message accepted, the client
not yet told the session is over). `stalled` is set when a session reaches the stall; `release()` lets it go.
"""

import email
import socketserver
import threading
from email import policy


class _Handler(socketserver.StreamRequestHandler):
    def reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self):
        self.reply("220 localhost Forgeline test SMTP")
        recipients, lines, in_data = [], [], False
        while line := self.rfile.readline():
            if in_data:
                if line.rstrip(b"\r\n") == b".":
                    message = email.message_from_bytes(b"".join(lines), policy=policy.default)
                    self.server.received.append((recipients, message))
                    recipients, lines, in_data = [], [], False
                    self.reply("250 OK: queued")
                else:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                continue
            command = line[:4].upper()
            if command in (b"MAIL", b"QUIT") and self.server.stall == command.decode().lower():
                self.server.stalled.set()
                self.server.released.wait(timeout=120)
            if command == b"EHLO":
                self.reply("250-localhost")
                self.reply("250-8BITMIME")
                self.reply("250 SMTPUTF8")
            elif command == b"RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif command == b"DATA":
                in_data = True
                self.reply("354 End data with <CR><LF>.<CR><LF>")
            elif command == b"RSET":
                recipients, lines = [], []
                self.reply("250 OK")
            elif command == b"QUIT":
                self.reply("221 Bye")
                return
            else:  # HELO, MAIL, NOOP
                self.reply("250 OK")


class LocalSMTPServer(socketserver.ThreadingTCPServer):
    """A threaded SMTP server on 127.0.0.1 and a free port; `received` holds (recipients, message) pairs."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.received: list = []
        self.stall = ""
        self.stalled = threading.Event()
        self.released = threading.Event()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self):
        self.thread.start()
        return self

    def release(self) -> None:
        self.released.set()

    def __exit__(self, *exc):
        self.release()
        self.shutdown()
        self.server_close()
