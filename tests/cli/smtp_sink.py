#!/usr/bin/env python3
"""smtp_sink.py - a tiny SMTP server for the tests: listens on 127.0.0.1 on
a port the system picks, writes the port to PORTFILE, and stores every
message it accepts as DIR/N.eml (the envelope in X-Envelope-From and
X-Envelope-To lines, then the data with dot-stuffing undone). With
--refuse it answers every RCPT with 451 (a temporary failure), as a relay
that is down would. Standard library only; runs until killed.

usage: smtp_sink.py PORTFILE DIR [--refuse]
"""
import os
import socket
import sys


def serve(conn, outdir, refuse, counter):
    f = conn.makefile("rb")

    def say(line):
        conn.sendall(line.encode() + b"\r\n")

    say("220 sink ESMTP")
    mail_from, rcpts = None, []
    while True:
        raw = f.readline()
        if not raw:
            return
        cmd = raw.decode("utf-8", "replace").rstrip("\r\n")
        verb = cmd[:4].upper()
        if verb in ("EHLO", "HELO"):
            say("250-sink" if verb == "EHLO" else "250 sink")
            if verb == "EHLO":
                say("250 8BITMIME")
        elif verb == "MAIL":
            mail_from, rcpts = cmd[10:].strip(), []
            say("250 ok")
        elif verb == "RCPT":
            if refuse:
                say("451 4.3.0 try again later")
            else:
                rcpts.append(cmd[8:].strip())
                say("250 ok")
        elif verb == "DATA":
            if not rcpts:
                say("503 no recipients")
                continue
            say("354 go ahead")
            lines = []
            while True:
                d = f.readline()
                if not d or d in (b".\r\n", b".\n"):
                    break
                if d.startswith(b".."):
                    d = d[1:]
                lines.append(d)
            counter[0] += 1
            path = os.path.join(outdir, "%d.eml" % counter[0])
            with open(path + ".tmp", "wb") as out:
                out.write(("X-Envelope-From: %s\r\n" % mail_from).encode())
                for r in rcpts:
                    out.write(("X-Envelope-To: %s\r\n" % r).encode())
                out.write(b"".join(lines))
            os.rename(path + ".tmp", path)
            say("250 queued as %d" % counter[0])
        elif verb == "RSET":
            mail_from, rcpts = None, []
            say("250 ok")
        elif verb == "NOOP":
            say("250 ok")
        elif verb == "QUIT":
            say("221 bye")
            return
        else:
            say("502 not implemented")


def main():
    portfile, outdir = sys.argv[1], sys.argv[2]
    refuse = "--refuse" in sys.argv[3:]
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    with open(portfile + ".tmp", "w") as p:
        p.write("%d\n" % s.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    counter = [0]
    while True:
        conn, _ = s.accept()
        try:
            serve(conn, outdir, refuse, counter)
        except OSError:
            pass
        finally:
            conn.close()


if __name__ == "__main__":
    main()
