"""Every shipped preset's status quo gives realistic service.

The median citizen waits under an hour (Permendagri 19/2018: Dukcapil service within one hour;
Spechbach et al. 2019: waits up to about an hour judged acceptable) and no counter is overloaded,
except where the preset says it models one. The national preset (4.7 million ASN, 42,000
service points) is left to ``make bench``: one of its points runs at utilisation 1.01.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulate.assemble import load_scenario
from simulate.cycle import simulate_period

ROOT = Path(__file__).resolve().parents[1]
PRESETS = sorted(p for p in [ROOT / "params" / "baseline.yaml", *(ROOT / "params" / "presets").glob("*.yaml"),
                             *(ROOT / "params" / "regions").glob("*.yaml")] if p.stem != "national")
#: Presets that model an overloaded office, and the words of their description that say so.
MODELS_OVERLOAD = {"makassar": "dari hari ke jam"}


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.stem)
def test_the_status_quo_serves_citizens_within_the_hour(path):
    sc = load_scenario(path)
    wait = simulate_period(sc, sc.seed).service.citizen_wait
    assert wait["wait_minutes_median"] < 60, wait
    assert wait["wait_minutes_p90"] < 60, wait
    if sc.name in MODELS_OVERLOAD:
        assert MODELS_OVERLOAD[sc.name] in sc.description
        assert wait["overloaded_points"] >= 1 and wait["backlog_days_max"] > 1
    else:
        assert wait["overloaded_points"] == 0, wait
