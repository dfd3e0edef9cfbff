"""The coopflow test suite."""
