"""guardrails.memo: exact keys (equal bytes only for equal values, types and order) and a bounded memo."""

from __future__ import annotations

import threading

from guardrails.memo import BoundedMemo, exact_key


def test_exact_keys_tell_apart_what_equality_would_merge():
    pairs = [({"1": 0}, {1: 0}), (True, 1), (1, 1.0), ("1", 1), ({"a": 1, "b": 2}, {"b": 2, "a": 1}), ([1], (1,))]
    for left, right in pairs:
        assert exact_key(left) != exact_key(right), (left, right)
    assert exact_key({"a": ["x", {"b": None}]}) == exact_key({"a": ["x", {"b": None}]})


def test_a_type_marshal_does_not_take_has_no_key():
    class Node(str):
        pass
    assert exact_key({"a": Node("x")}) is None and exact_key(object()) is None


def test_the_memo_answers_a_repeat_keeps_falsy_values_and_stays_bounded():
    memo, calls = BoundedMemo(3), []
    assert memo.get_or_compute("k", lambda: calls.append(1) or ()) == ()
    assert memo.get_or_compute("k", lambda: calls.append(1) or ()) == () and calls == [1]  # () is remembered too
    for index in range(10):
        memo.get_or_compute(index, lambda: index)
    assert len(memo) == 3 and list(memo) == [7, 8, 9]  # the oldest go first


def test_eviction_beside_other_threads_never_raises():
    memo, errors = BoundedMemo(4), []

    def work(offset):
        try:
            for index in range(2000):
                assert memo.get_or_compute((offset + index) % 16, lambda: index) is not None
        except Exception as exc:  # noqa: BLE001 - any error fails the test below
            errors.append(exc)
    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(memo) <= 4 + len(threads)  # a few threads may each add past the bound at once
