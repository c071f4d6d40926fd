"""The pure core of Cairn: plain Python and NumPy, no Django anywhere below this package.

It takes and returns plain data (dataclasses, arrays), so it can be tested, benchmarked and reused
without a database. An import-linter contract in CI keeps it that way.
"""
