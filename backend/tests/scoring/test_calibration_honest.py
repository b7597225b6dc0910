"""Churn probability that is calibrated: on a synthetic book whose churn rates are known,
the fit's out-of-fold predictions match the observed churn per predicted bucket, and the
validation report judges the probability actually in use."""

from __future__ import annotations

import numpy as np

from app.scoring import calibration


def test_out_of_fold_predictions_match_known_churn_rates():
    rng = np.random.default_rng(7)
    health = rng.uniform(20, 95, size=4000)
    truth = 1 / (1 + np.exp(-(2.5 - 5.0 * health / 100)))  # 73% churn at 0, 7% at 100
    churned = rng.random(4000) < truth
    predicted = calibration.cross_validated(health, churned)
    assert calibration.brier(predicted, churned) < calibration.brier(np.full(4000, churned.mean()), churned)
    for lo, hi in ((0.0, 0.15), (0.15, 0.3), (0.3, 0.45), (0.45, 1.0)):
        bucket = (predicted >= lo) & (predicted < hi)
        assert bucket.sum() > 200
        # predicted ≈ observed ≈ true, per bucket
        assert abs(predicted[bucket].mean() - churned[bucket].mean()) < 0.03, (lo, hi)
        assert abs(truth[bucket].mean() - churned[bucket].mean()) < 0.03, (lo, hi)


def test_the_fit_recovers_the_curve_and_each_fold_is_out_of_sample():
    rng = np.random.default_rng(11)
    health = rng.uniform(0, 100, size=6000)
    churned = rng.random(6000) < 1 / (1 + np.exp(-(1.0 - 4.0 * health / 100)))
    fit = calibration.fit_logistic(health, churned)
    assert abs(fit.intercept - 1.0) < 0.15 and abs(fit.slope + 4.0) < 0.3
    # a point's out-of-fold prediction does not depend on its own outcome
    flipped = churned.copy()
    flipped[0] = not flipped[0]
    assert calibration.cross_validated(health, churned)[0] == calibration.cross_validated(health, flipped)[0]
