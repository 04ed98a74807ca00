"""Figures: maps, time series, ensemble fans, scorecards, counterfactual differences and animation."""
