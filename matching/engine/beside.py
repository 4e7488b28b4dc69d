"""CPU-bound Python worked out beside the caller, in a forked child process.

Preparing a run has two independent parts of pure-Python work of about the same size (the
learnt combination from replays of past shows, and the run's own matrices): threads would
take turns on one core (the GIL), a forked child runs on the other. The child inherits its
inputs (nothing is pickled on the way in), sends back one pickled result and leaves with
os._exit, so it never closes the parent's database connection or runs its exit handlers.

Whatever goes wrong in the child (an exception, the child killed, a result that does not
unpickle), `result()` works the same call out in the caller instead: the answer is the
same, only later."""

import logging
import os
import pickle
import signal
import traceback
import weakref

logger = logging.getLogger(__name__)


class InProcess:
    """The call made when its result is asked for."""

    def __init__(self, fn, args):
        self.fn, self.args = fn, args

    def result(self):
        return self.fn(*self.args)


class Forked(InProcess):
    """The call running in a forked child from the start; `result()` waits for it."""

    def __init__(self, fn, args):
        super().__init__(fn, args)
        read_fd, write_fd = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child
            os.close(read_fd)
            _child(write_fd, fn, args)  # never returns
        os.close(write_fd)
        self.read_fd = read_fd
        # A caller that fails before asking for the result leaves no child behind.
        self._reap = weakref.finalize(self, _kill_and_reap, self.pid, read_fd)

    def result(self):
        self._reap.detach()
        chunks = []
        with os.fdopen(self.read_fd, "rb") as pipe:
            while block := pipe.read(1 << 20):
                chunks.append(block)
        _pid, status = os.waitpid(self.pid, 0)
        try:
            ok, value = pickle.loads(b"".join(chunks))  # noqa: S301 - our own child's pipe
        except Exception:  # noqa: BLE001 - the child died before it sent a whole result
            ok, value = False, f"no result from the child (wait status {status})"
        if ok:
            return value
        logger.warning("%s failed in a child process, done here instead:\n%s", self.fn.__name__, value)
        return super().result()


def _child(write_fd, fn, args):
    code = 0
    try:
        try:
            payload = pickle.dumps((True, fn(*args)), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - reported to the parent, which redoes the work
            payload = pickle.dumps((False, traceback.format_exc()))
            code = 1
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(code)


def _kill_and_reap(pid, read_fd):
    os.close(read_fd)
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def start(fn, *args, fork=True):
    """fn(*args) begun in a forked child when `fork` and the platform forks (and
    MATCHING_FORK is not "0"), else made in this process when its result is asked for.
    Call `.result()` on what this returns."""
    if fork and hasattr(os, "fork") and os.environ.get("MATCHING_FORK", "1") != "0":
        try:
            return Forked(fn, args)
        except OSError:
            logger.warning("could not fork for %s; done in this process", fn.__name__, exc_info=True)
    return InProcess(fn, args)
