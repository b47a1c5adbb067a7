"""Work in a forked child process, only when a caller asks for it (the CLI does; the library does not).

A bare ``os.fork`` and a pipe carrying pickles between briefgen's own
processes: multiprocessing would do the same after an import that costs more
than the fork itself. Forking a process that runs threads is unsafe, so
:func:`can_fork` is consulted by callers that opted in, and library callers
(servers, notebooks) get everything in their own process by default.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from typing import Callable, Iterator

from .errors import (
    BriefgenError,
    ContentError,
    RenderError,
    SelectionError,
    StyleError,
    UsageError,
)

ERRORS = {c.__name__: c for c in (BriefgenError, ContentError, RenderError, SelectionError, StyleError, UsageError)}


class ChildCrashed(RuntimeError):
    """A forked child failed with something other than a briefgen problem; ``child_traceback`` tells where."""

    def __init__(self, message: str, child_traceback: str = ""):
        super().__init__(message)
        self.child_traceback = child_traceback


def can_fork() -> bool:
    """Whether forking helps here: Linux (where fork is cheap and safe for a single-threaded CLI), several cores."""
    return sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1


class Forked:
    """A generator run in a forked child; each ``result()`` gives its next value or raises what stopped it."""

    def __init__(self, fn: Callable[[], Iterator[object]]):
        import pickle

        read_end, write_end = os.pipe()
        try:  # room for a whole small model, so the child can go on without waiting for this process to read
            import fcntl

            fcntl.fcntl(write_end, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
        except OSError:
            pass
        pid = os.fork()
        if pid == 0:  # the child: run, send its messages, and leave without running the parent's exit code
            try:
                os.close(read_end)
                with os.fdopen(write_end, "wb") as out:
                    try:
                        for value in fn():
                            pickle.dump(("ok", value), out, protocol=pickle.HIGHEST_PROTOCOL)
                            out.flush()
                        message = None
                    except BriefgenError as exc:
                        message = ("problems", (type(exc).__name__, exc.problems))
                    except BaseException as exc:  # noqa: BLE001 - reported by the parent as an internal error
                        message = ("crash", (f"{type(exc).__name__}: {exc}", traceback.format_exc()))
                    if message:
                        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
            finally:
                os._exit(0)
        os.close(write_end)
        self._pid: int | None = pid
        self._in = os.fdopen(read_end, "rb")

    def result(self):
        import pickle

        try:
            kind, payload = pickle.load(self._in)
        except (EOFError, pickle.UnpicklingError):  # the child ended without a word: killed, or out of memory
            kind, payload = "crash", (f"the rendering process ended unexpectedly ({self._reap()})", "")
        if kind == "problems":
            raise ERRORS.get(payload[0], BriefgenError)(payload[1])
        if kind == "crash":
            raise ChildCrashed(*payload)
        return payload

    def _reap(self) -> str:
        if self._pid is None:
            return "already reaped"
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        return f"exit status {os.waitstatus_to_exitcode(status)}"

    def close(self) -> None:
        """Stop the child unless it is done (a parent that failed first no longer wants its work), and reap it."""
        self._in.close()
        if self._pid is None:
            return
        done, _ = os.waitpid(self._pid, os.WNOHANG)
        if not done:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self._pid, 0)
        self._pid = None
