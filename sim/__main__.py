"""``python -m sim`` is the same as the ``idlib-sim`` console script."""

from sim.cli import main

raise SystemExit(main())
