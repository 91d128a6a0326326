"""Drives a command through a pseudo-terminal, as a person at a keyboard would.

session(argv, script): runs argv in a new pty; script is a list of (prompt, answer)
pairs, each answer typed (with Enter) once its prompt has appeared after the last one.
Prints what the terminal showed and "exit N". A prompt that does not come within the
timeout prints "(timed out)" and ends the child, so a changed prompt fails the case in
seconds instead of hanging it.
"""
import os
import pty
import select
import signal
import sys


def session(argv, script, timeout=10):
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
    sys.stdout.write(out.decode().replace("\r\n", "\n"))
    print("exit", os.waitstatus_to_exitcode(status))
