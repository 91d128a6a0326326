"""Drives a command through a pseudo-terminal, as a person at a keyboard would.

session(argv, script): runs argv in a new pty; script is a list of (prompt, answer)
pairs, each answer typed (with Enter) once its prompt has appeared after the last one.
Prints what the terminal showed and "exit N". A prompt that does not come within the
timeout prints "(timed out)" and ends the child, so a changed prompt fails the case in
seconds instead of hanging it. screen=True prints each line as the terminal shows it
once a line editor has redrawn it (carriage returns, cursor moves to a column, erase to
the end of the line), rather than the bytes that drew it.
"""
import os
import pty
import re
import select
import signal
import sys


def shown(text):
    """The lines of `text` as a terminal leaves them: CR, CSI n G, CSI K applied."""
    lines, line, col = [], [], 0
    for token in re.findall(r"\x1b\[(\d*)([GK])|(\r)|(\n)|(\x07)|(.)", text, re.S):
        n, csi, cr, nl, bell, ch = token
        if csi == "G":
            col = int(n or 1) - 1
        elif csi == "K":
            del line[col:]
        elif cr:
            col = 0
        elif nl:
            lines.append("".join(line).rstrip())
            line, col = [], 0
        elif ch:
            line[col:col + 1] = [ch] if col < len(line) else [" "] * (col - len(line)) + [ch]
            col += 1
    return "\n".join(lines) + ("\n" + "".join(line) if line else "\n")


def session(argv, script, timeout=10, screen=False):
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(argv[0], argv)
    out, seen = b"", 0
    script = list(script)
    while True:
        if script and script[0][0].encode() in out[seen:]:
            seen = out.index(script[0][0].encode(), seen) + len(script[0][0])
            os.write(fd, script.pop(0)[1].encode() + b"\n")
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            print("(timed out)")
            os.kill(pid, signal.SIGKILL)
            break
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
    _, status = os.waitpid(pid, 0)
    text = out.decode()
    sys.stdout.write(shown(text) if screen else text.replace("\r\n", "\n"))
    print("exit", os.waitstatus_to_exitcode(status))
