"""What the tests and the benchmarks share: helpers and fakes, never tests.

``tests/`` and ``bench/`` import this package and never each other's modules (a test keeps it
so). It is not shipped.
"""
