"""The interactive app (``idlib-sim app``, extra ``app``): levers, runs, a day slider, comparisons.

``levers`` turns the page's settings into ``--set`` overrides, ``session`` makes the runs and comparisons
(no web code), ``page`` is the Solara page and ``server`` serves it. Only ``page`` and ``server`` need
Solara.
"""
