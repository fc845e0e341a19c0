"""Plain helpers shared by the tests: functions, classes and constants, never fixtures (those are all in
tests/conftest.py). Imported as `from tests.support.api import assert_error`."""
