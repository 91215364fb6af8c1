"""The bench compares M with S only when both were timed on the same code, and leaves the verdict in both sizes'
files, so that `make bench` S then M cannot keep a verdict reached against an older run."""

import json

import pytest

from bench import run
from bench.common import SIZES


def load_figures(fingerprint: str, **p95) -> dict:
    return {
        "app_fingerprint": fingerprint,
        "pages": {page: {"p95_ms_1": ms} for page, ms in p95.items()},
        "targets": {},
    }


@pytest.fixture
def results(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "RESULTS_DIR", tmp_path)
    return tmp_path


def read(folder, name: str) -> dict:
    return json.loads((folder / name).read_text())


def test_m_is_compared_with_s_of_the_same_code_and_both_files_say_so(results):
    (results / "load-S.json").write_text(json.dumps(load_figures("abc", home=20.0, portfolio=40.0)))
    (results / "S.json").write_text(
        json.dumps({"size": "S", "load": {}, "targets": {"other": {"status": "PASS"}}})
    )
    verdict = run.sizes_compare(SIZES["M"], load_figures("abc", home=25.0, portfolio=70.0))
    assert verdict["status"] == "FAIL" and "portfolio" in verdict["detail"]
    for name in ("load-S.json", "load-M.json"):
        assert read(results, name)["m_over_s"]["ratios"] == {"home": 1.25, "portfolio": 1.75}
    s_targets = read(results, "S.json")["targets"]
    assert s_targets[run.M_OVER_S_TARGET] == verdict and s_targets["other"] == {"status": "PASS"}


def test_figures_from_other_code_are_not_compared_and_older_comparisons_are_dropped(results):
    theirs = load_figures("old", home=20.0)
    theirs["m_over_s"] = {"status": "PASS", "ratios": {"home": 1.0}}  # against an M no longer on disk
    (results / "load-S.json").write_text(json.dumps(theirs))
    (results / "S.json").write_text(
        json.dumps(
            {"size": "S", "load": {"m_over_s": {}}, "targets": {run.M_OVER_S_TARGET: {"status": "PASS"}}}
        )
    )
    mine = load_figures("new", home=50.0)
    mine["m_over_s"] = {"status": "PASS"}
    assert run.sizes_compare(SIZES["M"], mine) is None
    assert "m_over_s" not in read(results, "load-M.json")
    assert "m_over_s" not in read(results, "load-S.json")
    assert run.M_OVER_S_TARGET not in read(results, "S.json")["targets"]
    assert "m_over_s" not in read(results, "S.json")["load"]


def test_an_older_verdict_is_dropped_when_none_could_be_reached(results):
    (results / "S.json").write_text(
        json.dumps({"size": "S", "targets": {run.M_OVER_S_TARGET: {"status": "FAIL", "detail": "old"}}})
    )
    run.section_write(SIZES["S"], "load", {}, {}, verdicts={run.M_OVER_S_TARGET: None})
    assert run.M_OVER_S_TARGET not in read(results, "S.json")["targets"]
