"""Builders shared by the domain unit tests of one aggregate; fixtures are in conftest.py."""
