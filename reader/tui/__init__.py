"""The Textual app. Nothing outside this package imports it (and it imports no heavy domain code).

``STARTED_AT`` is taken at the first import of the package, the way Posting does it, so
the app can log how long start-up took once the first frame is ready.
"""

from time import perf_counter

STARTED_AT = perf_counter()
