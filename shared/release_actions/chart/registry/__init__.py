"""Helm charts in OCI registries: references, Helm's manifest, the push plan, an HTTP client."""

from .client import Credentials, RegistryClient, RegistryError
from .files import load_artifact
from .manifest import ChartArtifact, chart_artifact
from .push import PushOutcome, PushPlan, plan_push, plan_pushes, push_chart, push_packages
from .reference import ChartReference, RegistryLocation, parse_registry

__all__ = [
    "ChartArtifact",
    "ChartReference",
    "Credentials",
    "PushOutcome",
    "PushPlan",
    "RegistryClient",
    "RegistryError",
    "RegistryLocation",
    "chart_artifact",
    "load_artifact",
    "parse_registry",
    "plan_push",
    "plan_pushes",
    "push_chart",
    "push_packages",
]
