"""PermenPANRB 6/2022 (Pengelolaan Kinerja Pegawai ASN): quadrant, result rating and the curve.

Both work results (hasil kerja) and work behaviour (perilaku kerja) are rated di bawah / sesuai /
di atas ekspektasi (codes 0 / 1 / 2, :mod:`simulate.scales`); the 3x3 quadrant turns the pair
into the employee predikat (codes 0-4, :mod:`simulate.predikat`). The unit's organisational
predikat (istimewa ... sangat kurang, codes 0-4) then fixes the allowed distribution of
employee predikat ("kurva distribusi", domain/regulations.md 1.4-1.6 and section 8).

Tables: ``data/reference/quadrant_2022.csv``, ``distribution_curve_2022.csv`` and
``org_predikat_thresholds.csv``.

Distribution curve: rounding rules for small units
--------------------------------------------------
The circular states shares; a unit has whole people. With ``n`` the unit's headcount:

1. "at least p %" needs ``ceil(p n / 100)`` people (60 % of 5 = 3; of 3 = 2; of 1 = 1).
2. "at most p %" allows ``floor(p n / 100)`` people (10 % of 9 = 0: a Butuh Perbaikan or
   Kurang unit of fewer than 10 people can have no Sangat Baik; 70 % of 5 = 3).
3. "largest group" means no other predikat has more people; ties are allowed (1 Sangat Baik
   and 1 Baik in a unit of 2 satisfy "Sangat Baik is the largest group").
4. The largest group needs at least one person, so its "at most 70 %" cap never falls below 1:
   a unit of 1 may have its only member in the named predikat (``max(1, floor(0.7 n))``).
5. Minimums are met in the table's row order and a later minimum is reduced to the headcount
   the earlier ones leave (the largest group counts as a minimum of 1). So the Kurang curve's
   "at least 10 % Butuh Perbaikan" needs nobody in units of 1 or 2 (60 % Kurang already takes
   everyone), and the Baik curve's "some Butuh Perbaikan or Kurang" needs nobody in a unit of 1
   (its only member must be Baik, the largest group). From 3 people on, every constraint holds
   as stated.

With these rules every curve can be met by every unit of 1 or more people; an empty unit is
valid. ``enforce_curve`` moves people until their unit's curve holds.

The package, part by part of the regulation:

- :mod:`~simulate.rules.permenpanrb_2022.results` -- rating work results from indicator
  achievements (:func:`rate_results`);
- :mod:`~simulate.rules.permenpanrb_2022.employee_predikat` -- the kuadran kinerja
  (:func:`quadrant`, :func:`predikat`);
- :mod:`~simulate.rules.permenpanrb_2022.organisation` -- the organisational predikat
  (:data:`ORG_PREDIKAT`, :func:`org_predikat`);
- :mod:`~simulate.rules.permenpanrb_2022.curve` -- the distribution curve: its constraints,
  headcount limits and checks (:func:`curve_limits`, :func:`curve_check`, ...);
- :mod:`~simulate.rules.permenpanrb_2022.curve_repair` -- enforcing the curve
  (:func:`enforce_curve`).
"""

from __future__ import annotations

from simulate.rules.permenpanrb_2022.curve import (
    CurveConstraint,
    curve_check,
    curve_check_groups,
    curve_constraints,
    curve_limits,
    curve_violations,
)
from simulate.rules.permenpanrb_2022.curve_repair import enforce_curve
from simulate.rules.permenpanrb_2022.employee_predikat import predikat, quadrant
from simulate.rules.permenpanrb_2022.organisation import (
    ISTIMEWA,
    ORG_BAIK,
    ORG_BUTUH_PERBAIKAN,
    ORG_KURANG,
    ORG_PREDIKAT,
    ORG_SANGAT_KURANG,
    org_predikat,
)
from simulate.rules.permenpanrb_2022.results import rate_results

__all__ = [
    "ORG_PREDIKAT",
    "ISTIMEWA",
    "ORG_BAIK",
    "ORG_BUTUH_PERBAIKAN",
    "ORG_KURANG",
    "ORG_SANGAT_KURANG",
    "CurveConstraint",
    "quadrant",
    "predikat",
    "rate_results",
    "org_predikat",
    "curve_constraints",
    "curve_limits",
    "curve_check",
    "curve_violations",
    "curve_check_groups",
    "enforce_curve",
]
