"""A tiny sendmail -t for ombre's e-mail tests: the message on stdin, its
sender and recipients from its From, To, Cc and Bcc headers, sent over
SMTP to 127.0.0.1:PORT (python3's smtplib).

  smtp-send.py --port PORT

Exit 0 when the server took it; else 1 with the reason on stderr.
"""
import argparse
import email
import email.policy
import email.utils
import smtplib
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    a = ap.parse_args()
    data = sys.stdin.buffer.read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    sender = email.utils.parseaddr(msg.get("From", ""))[1]
    rcpts = [addr for _, addr in email.utils.getaddresses(
        msg.get_all("To", []) + msg.get_all("Cc", []) +
        msg.get_all("Bcc", [])) if addr]
    if not sender or not rcpts:
        print("smtp-send: no sender or no recipient", file=sys.stderr)
        return 1
    try:
        with smtplib.SMTP("127.0.0.1", a.port, timeout=10) as s:
            s.sendmail(sender, rcpts, data)
    except (OSError, smtplib.SMTPException) as e:
        print("smtp-send: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
