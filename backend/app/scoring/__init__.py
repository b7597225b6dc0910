"""Scoring: configs, the engine, snapshots and runs, history and explanations, config previews, validation and calibration."""
