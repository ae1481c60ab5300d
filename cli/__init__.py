"""samestory's command line: thin click commands over the `corpus` library."""

import os

# samestory does no dense linear algebra, yet numpy's OpenBLAS starts a thread
# per core that spins while numpy loads (about 70 ms of CPU in every process,
# the workers' included, which inherit this): one thread is enough.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
