"""Calibration and validation: targets scored, ABC-SMC, Morris screening, history matching, the report."""
