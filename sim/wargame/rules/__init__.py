"""Pure numpy kernels of the mechanics: each equation testable alone."""
