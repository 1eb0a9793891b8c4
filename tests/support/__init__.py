"""Helpers shared by the tests (fixture builders, export writers, rule-case runners); not tests themselves."""
