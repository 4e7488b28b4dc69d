"""Work done beside the caller in a forked child (engine/beside.py): the same answer as in
this process, and the same answer when the child fails or dies; a run's preparation gives
the same model whether its combination was worked out in a child or here."""

import logging
import os
import signal

import numpy as np
import pytest

from matching import synthetic
from matching.engine import beside, scoring, shortlist

PARENT = os.getpid()


def squares_with_the_pid(n):
    return np.arange(n) ** 2, os.getpid()


def fails_in_the_child():
    if os.getpid() != PARENT:
        raise ValueError("only in the child")
    return "done here"


def dies_in_the_child():
    if os.getpid() != PARENT:
        os.kill(os.getpid(), signal.SIGKILL)
    return "done here"


def always_fails():
    raise ValueError("wherever it runs")


def test_the_result_comes_from_a_child_process():
    squares, pid = beside.start(squares_with_the_pid, 1000).result()
    assert squares.tolist() == [i * i for i in range(1000)]
    assert pid != PARENT


def test_without_fork_the_work_is_done_here_when_asked_for(monkeypatch):
    assert beside.start(squares_with_the_pid, 3, fork=False).result()[1] == PARENT
    monkeypatch.setenv("MATCHING_FORK", "0")
    assert beside.start(squares_with_the_pid, 3).result()[1] == PARENT


@pytest.mark.parametrize("fn", [fails_in_the_child, dies_in_the_child])
def test_a_child_that_fails_or_dies_is_made_up_for_here(fn, caplog):
    with caplog.at_level(logging.WARNING, logger="matching.engine.beside"):
        assert beside.start(fn).result() == "done here"
    assert f"{fn.__name__} failed in a child process" in caplog.text


def test_an_error_that_happens_here_too_is_raised_here():
    with pytest.raises(ValueError, match="wherever it runs"):
        beside.start(always_fails).result()


def test_a_run_prepared_with_its_combination_from_a_child_is_the_same(monkeypatch):
    world = synthetic.generate(variant="a", n_exhibitors=60, n_buyers=150, n_exhibitions=4, seed=1)
    exhibitors, buyers, history, _labels = synthetic.engine_inputs(world)
    monkeypatch.setattr(scoring, "FORK_FROM", 0)
    forked = scoring.prepare(exhibitors, buyers, history)
    monkeypatch.setenv("MATCHING_FORK", "0")
    here = scoring.prepare(exhibitors, buyers, history)
    assert forked.ranker is not None and forked.summary == here.summary
    assert forked.weights == here.weights
    assert np.array_equal(forked.ranker.coef, here.ranker.coef)
    rows = np.arange(forked.n_buyers)
    assert [[(e, round(s, 9)) for e, s, _r in items] for _b, items in shortlist.top_k(forked, rows, 10)] == [
        [(e, round(s, 9)) for e, s, _r in items] for _b, items in shortlist.top_k(here, rows, 10)
    ]


def test_a_child_whose_result_is_never_asked_for_is_stopped_and_reaped():
    pending = beside.start(signal.pause)
    pid = pending.pid
    del pending
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
