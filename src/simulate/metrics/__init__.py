"""Metrics against the hidden truth (DESIGN 3.9) and reliability statistics."""

from simulate.metrics.classification import REFERENCE_SHARES, confusion_matrix, reference_predikat
from simulate.metrics.core import (
    ALL_METRICS,
    DYNAMIC_METRICS,
    GLOSSARY,
    METRICS,
    classification,
    fairness_gap,
    policy_metrics,
    rater_variance_share,
    ranking_score,
    service_metrics,
    unit_covariates,
    validity_spearman,
    variance_shares,
)
from simulate.metrics.reliability import ICC_NAMES, IccResult, icc, raters_needed, spearman_brown

__all__ = [
    "ALL_METRICS", "DYNAMIC_METRICS", "GLOSSARY", "METRICS", "ICC_NAMES", "IccResult", "classification", "fairness_gap", "icc",
    "policy_metrics", "rater_variance_share", "raters_needed", "ranking_score", "service_metrics",
    "spearman_brown", "validity_spearman", "variance_shares", "unit_covariates",
    "REFERENCE_SHARES", "confusion_matrix", "reference_predikat",
]
