"""The source link checker: collect cited URLs, check them politely, classify, persist.

It knows nothing of pages or templates: it takes URLs with the places that cite them and
returns results; the build reads the persisted results.
"""

import sys

# httpx's `__init__` imports its command-line client (`httpx._main`: click, pygments and
# rich's console, syntax and table modules) whenever click is installed, to offer
# `httpx.main`; citeguide never runs it. Marking the module absent makes that import fail
# at once, as it does where click is not installed (httpx then defines a `main` that says
# so): 25–30 ms of CPU in every `check` (measured with -X importtime).
if "httpx" not in sys.modules and "httpx._main" not in sys.modules:
    sys.modules["httpx._main"] = None  # type: ignore[assignment]
