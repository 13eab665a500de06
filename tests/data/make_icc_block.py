"""Write ``icc_block.csv``: 40 employees each rated by the same 4 raters (long format), for psych::ICC.

Run from the repository root: ``.venv/bin/python tests/data/make_icc_block.py``; then
``Rscript tests/data/reference_estimates.R`` records the R references beside it.
"""

import numpy as np
import pandas as pd

rng = np.random.default_rng(20240101)
n, k = 40, 4
employee = rng.normal(0, 1.0, n)
leniency = rng.normal(0, 0.7, k)
rating = 70 + 5 * (employee[:, None] + leniency[None, :] + rng.normal(0, 0.8, (n, k)))
pd.DataFrame({
    "employee_id": np.repeat([f"E{i:03d}" for i in range(n)], k),
    "rater_id": np.tile([f"R{j}" for j in range(k)], n),
    "rating": np.round(rating, 2).ravel(),
}).to_csv("tests/data/icc_block.csv", index=False)
