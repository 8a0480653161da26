"""The minimum size of an agency in a lowest-rate list: a setting with a sane default."""

from __future__ import annotations

from dashboard.web.ranking import DEFAULT_MIN_SIZE, ranking_min_size


def test_minimum_size_from_the_setting() -> None:
    assert ranking_min_size({}) == DEFAULT_MIN_SIZE == 20
    assert ranking_min_size({"NETRALITAS_RANKING_MIN_SIZE": "50"}) == 50
    assert ranking_min_size({"NETRALITAS_RANKING_MIN_SIZE": "0"}) == 1
    assert ranking_min_size({"NETRALITAS_RANKING_MIN_SIZE": "banyak"}) == DEFAULT_MIN_SIZE
