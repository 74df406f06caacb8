"""A matplotlib backend for runs whose figures nobody sees.

`pigs-to-backprop progress` starts its kernels with MPLBACKEND=module://course.headless:
figures are still built (a learner's plotting code runs, and can fail, as in Jupyter),
but `plt.show()` closes them instead of rendering PNGs that would be thrown away.
Grading keeps its outputs for the feedback, so it does not use this backend.
"""

from matplotlib.backend_bases import _Backend
from matplotlib.backends.backend_agg import _BackendAgg

NAME = f"module://{__name__}"


@_Backend.export
class _BackendHeadless(_BackendAgg):
    @staticmethod
    def show(*args, **kwargs):
        import matplotlib.pyplot as plt

        plt.close("all")
