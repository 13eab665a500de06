"""PP 30/2019 (Penilaian Kinerja PNS) with the PermenPANRB 8/2021 SKP value scale.

Final score = 70 % SKP + 30 % perilaku kerja, or 60 % / 40 % in agencies that use peer and
subordinate opinions (360 degrees), on the 0-120 value scale; Sangat Baik needs 110-120 **and**
a new idea or method, Baik 90-120, Cukup 70-<90, Kurang 50-<70 and Sangat Kurang <50 (the last
two **[unverified]**); domain/regulations.md 1.8 and 2. Formulas come from
:mod:`simulate.rules.capaian` and :mod:`simulate.rules.pp30_2019`.

Interpretation choices (documented in :func:`score`)
----------------------------------------------------
- SKP value: every indicator's achievement (``evidence.capaian``, the 8/2021 rule incl. "lower
  is better") is mapped to its 0-120 value (:func:`simulate.rules.capaian.capaian_value`; a
  percent indicator whose target is already 100 % counts as Sangat Baik when reached), then
  weighted: main results (hasil kerja utama) share ``1 - additional_share`` equally and
  additional results (tambahan) share ``additional_share`` equally **[assumption: the annex
  leaves weights to each SKP]**; with no additional result the main ones carry everything.
- Behaviour value (0-120): the latent rating (mean of the 7 BerAKHLAK dimensions) is mapped to
  the 0-100 score (:func:`simulate.scales.to_score_100`) and carried band-to-band onto the 0-120
  scale (:func:`behaviour_value`), so a rating keeps its band: PP 46's 91-100 -> 110-120,
  76-90 -> 90-110, 61-75 -> 70-90, 51-60 -> 50-70, 0-50 -> 0-50.
- 360 degrees (``uses_360``): the latent rating per dimension is the weighted mean of the
  supervisor's, the peers' and the subordinates' ratings, weights renormalised over the sources
  an employee has (no peers and no subordinates -> the supervisor alone); the final score then
  uses the 60/40 weights (Art. 41).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from simulate.evidence import Evidence
from simulate.policies.base import Appraisal, PolicyParams, components_frame, register
from simulate.policies.common import (
    has_indicator, indicator_scale_is, nan_weighted_mean, rescale_bands, row_count, row_mean, row_sum,
)
from simulate.reference import load_table
from simulate.rules import capaian as capaian_rule
from simulate.rules import pp30_2019 as rule
from simulate.scales import to_score_100

__all__ = ["Pp30Params", "skp_value", "behaviour_latent", "behaviour_value", "score"]


class Pp30Params(PolicyParams):
    """Parameters of the PP 30/2019 appraisal."""

    additional_share: float = Field(
        0.2, ge=0.0, le=1.0,
        description="Share of the SKP value carried by additional results (hasil kerja tambahan), split "
                    "equally among them; main results share the rest equally. An employee without "
                    "additional results puts everything on the main ones. [assumption]",
    )
    uses_360: bool = Field(
        False,
        description="The agency uses peer and subordinate opinions: behaviour mixes the three sources "
                    "and the final score is 60 % SKP + 40 % behaviour (PP 30/2019 Art. 41); otherwise "
                    "supervisor only and 70/30.",
    )
    weight_supervisor: float = Field(
        0.6, gt=0.0, le=1.0,
        description="Relative weight of the direct superior's rating in the 360-degree mix (renormalised "
                    "over the sources an employee has).",
    )
    weight_peers: float = Field(
        0.2, ge=0.0, le=1.0, description="Relative weight of the peers' mean rating in the 360-degree mix.",
    )
    weight_subordinates: float = Field(
        0.2, ge=0.0, le=1.0,
        description="Relative weight of the direct subordinates' mean rating in the 360-degree mix.",
    )
    require_new_idea: bool = Field(
        True,
        description="Sangat Baik needs a credited new idea or method (evidence.new_idea), PP 30/2019 "
                    "Art. 41(5); False bands on the score alone (110-120 = Sangat Baik).",
    )

    @model_validator(mode="after")
    def _weights(self) -> "Pp30Params":
        if self.uses_360 and self.weight_peers + self.weight_subordinates == 0:
            raise ValueError("weight_peers, weight_subordinates: with uses_360 at least one must be > 0")
        return self


@lru_cache(maxsize=1)
def _band_edges() -> tuple[np.ndarray, np.ndarray]:
    """Matching band edges of the PP 46/2011 0-100 scale and the PP 30/2019 0-120 scale.

    Read once from the reference tables (read-only arrays).
    """
    b46 = load_table("pp46_bands").sort_values("lower_bound")["lower_bound"].to_numpy(float)
    b30 = load_table("pp30_bands")
    top30 = float(b30["max_score"].max())
    b30 = b30.sort_values("lower_bound")["lower_bound"].to_numpy(float)
    edges = np.r_[b46, 100.0], np.r_[b30, top30]
    for e in edges:
        e.flags.writeable = False
    return edges


def skp_value(evidence: Evidence, additional_share: float) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """SKP value (0-120) per employee from indicator achievements, PermenPANRB 8/2021.

    Returns the value (NaN for an employee without indicators) and components: ``n_main``,
    ``n_additional``, ``value_main`` and ``value_additional`` (weighted means within each kind).
    """
    present = has_indicator(evidence)
    main = np.asarray(evidence.main, dtype=bool) & present
    additional = present & ~main
    cap = np.where(present, evidence.capaian, 0.0)
    lower = np.asarray(evidence.lower_is_better, dtype=bool)
    is_share = indicator_scale_is(evidence, "logit_percent")
    at_max = is_share & ~lower & (np.where(present, evidence.target, 0.0) >= 100.0)
    value = np.where(present, capaian_rule.capaian_value(cap, at_max), np.nan)

    n_main = row_count(main)
    n_add = row_count(additional)
    main_share = np.where(n_main == 0, 0.0, np.where(n_add > 0, 1.0 - additional_share, 1.0))
    add_share = np.where(n_add > 0, 1.0 - main_share, 0.0)
    w = np.where(main, (main_share / np.maximum(n_main, 1))[:, None],
                 np.where(additional, (add_share / np.maximum(n_add, 1))[:, None], 0.0))
    total = row_sum(w)
    weighted = row_sum(np.where(present, value, 0.0) * w)
    skp = np.where(total > 0, weighted / np.where(total > 0, total, 1.0), np.nan)
    comp = {
        "n_main": n_main.astype(np.int64), "n_additional": n_add.astype(np.int64),
        "value_main": nan_weighted_mean(np.where(main, value, np.nan), 1.0, axis=1),
        "value_additional": nan_weighted_mean(np.where(additional, value, np.nan), 1.0, axis=1),
    }
    return skp, comp


def behaviour_latent(evidence: Evidence, params: Pp30Params) -> tuple[np.ndarray, np.ndarray]:
    """Latent behaviour rating (mean over the 7 dimensions) and the number of sources used.

    Supervisor only, or with ``uses_360`` the per-dimension weighted mean of supervisor, peers
    and subordinates, weights renormalised over the sources present.
    """
    sup = np.asarray(evidence.supervisor_behaviour, dtype=float)
    if not params.uses_360:
        return row_mean(sup), np.ones(len(sup), dtype=np.int64)
    peers = np.asarray(evidence.peer_behaviour, dtype=float)
    subs = np.asarray(evidence.subordinate_behaviour, dtype=float)
    peers = np.where((np.asarray(evidence.n_peers) > 0)[:, None], peers, np.nan)
    subs = np.where((np.asarray(evidence.n_subordinates) > 0)[:, None], subs, np.nan)
    stack = np.stack([sup, peers, subs], axis=-1)  # (n, 7, 3)
    weights = np.array([params.weight_supervisor, params.weight_peers, params.weight_subordinates])
    mixed = nan_weighted_mean(stack, weights, axis=-1)
    used = row_count(~np.isnan(stack[:, 0, :]) & (weights > 0))
    return row_mean(mixed), used.astype(np.int64)


def behaviour_value(latent, scales) -> np.ndarray:
    """Behaviour value on the 0-120 scale from a latent rating (band-to-band, see module doc)."""
    from_edges, to_edges = _band_edges()
    return rescale_bands(to_score_100(latent, scales), from_edges, to_edges)


@register("pp30_2019", Pp30Params, label="PP 30/2019: SKP 70% + perilaku 30%", label_en="PP 30/2019: SKP 70% + behaviour 30%",
          reference="PP 30/2019 Art. 41; PermenPANRB 8/2021 annex (nilai capaian); domain/regulations.md 1.8, 2")
def score(evidence: Evidence, params: Pp30Params) -> Appraisal:
    """Appraise every employee under PP 30/2019 Art. 41 with PermenPANRB 8/2021 SKP values.

    1. SKP value (PermenPANRB 8/2021 annex, regulations.md 1.8): capaian of every indicator ->
       value 0-120 (:func:`simulate.rules.capaian.capaian_value`), weighted main /
       additional (``additional_share``). An employee without indicators gets the supervisor's
       results judgement on the same scale as behaviour (:func:`behaviour_value`).
    2. Behaviour value 0-120: supervisor (or the 360 mix, ``uses_360``) latent rating -> 0-100
       -> band-to-band onto 0-120 (module docstring).
    3. Final score (Art. 41): 0.7 SKP + 0.3 behaviour, or 0.6 / 0.4 with ``uses_360``
       (:func:`simulate.rules.pp30_2019.final_score`); predikat by Art. 41(5) with the new-idea
       condition for Sangat Baik (``evidence.new_idea``; :func:`simulate.rules.pp30_2019.predikat`).

    Score: the final value, within [0, 120]. ``notes`` is empty.
    """
    n = evidence.n
    skp, comp = skp_value(evidence, params.additional_share)
    no_skp = np.isnan(skp)
    if no_skp.any():
        skp = np.where(no_skp, behaviour_value(evidence.supervisor_results, evidence.scales), skp)
    latent, sources = behaviour_latent(evidence, params)
    behaviour = behaviour_value(latent, evidence.scales)
    final = rule.final_score(skp, behaviour, uses_360=params.uses_360)
    idea = np.asarray(evidence.new_idea, dtype=bool) if params.require_new_idea else np.ones(n, dtype=bool)
    predikat = rule.predikat(final, idea) if n else np.zeros(0, dtype=np.int8)
    components = components_frame({
        **comp,
        "skp": skp,
        "skp_from_supervisor": no_skp,
        "behaviour_latent": latent,
        "behaviour_sources": sources,
        "behaviour": behaviour,
        "new_idea": np.asarray(evidence.new_idea, dtype=bool),
    })
    return Appraisal(
        policy="pp30_2019", rule="pp30_2019",
        employee_id=evidence.structure.column("employee_id"),
        score=np.asarray(final, dtype=float), predikat=np.asarray(predikat, dtype=np.int8),
        components=components, notes=pd.DataFrame(), params=params,
    )
