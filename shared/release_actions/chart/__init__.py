"""Helm chart checks, reproducible packaging, GitHub releases and ``index.yaml`` merges."""
