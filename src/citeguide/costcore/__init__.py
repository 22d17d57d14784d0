"""The shared cost core: cited input tables and the calculators every guide asks.

Pure: it imports nothing else from citeguide and does no I/O. Money is Decimal with an
ISO currency; a month is 730 hours (8,760 / 12).
"""
