"""Changelog parsing, release gates, pull-request checks and release notes."""
