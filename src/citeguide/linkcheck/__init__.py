"""The source link checker: collect cited URLs, check them politely, classify, persist.

It knows nothing of pages or templates: it takes URLs with the places that cite them and
returns results; the build reads the persisted results.
"""
