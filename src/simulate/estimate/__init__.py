"""Real data: rater effects from an appraisal export (DESIGN section 6, ``kinerja estimate``).

:mod:`~simulate.estimate.read` checks and pseudonymises an export, :mod:`~simulate.estimate.reml`
fits the crossed random-effects model, :mod:`~simulate.estimate.model` derives leniency, spread,
connectedness and reliability, :mod:`~simulate.estimate.calibration` turns them into rater
parameters for the simulator, and :mod:`~simulate.estimate.report` writes the run folder.
"""
