"""``oci://HOST[:PORT]/PATH`` and the reference Helm gives a chart under it.

The rules are the OCI distribution spec's: a repository is ``/``-separated components of
lowercase letters and digits joined by ``.``, ``_``, ``__`` or runs of ``-``; a tag is
``[A-Za-z0-9_][A-Za-z0-9._-]{0,127}``. Helm pushes a chart to ``PATH/NAME`` with its version as
the tag, ``+`` written as ``_`` (semver build metadata is not a legal tag character).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from ...errors import UsageError

OCI_SCHEME = "oci://"
_MAX_REPOSITORY = 255
_HOST = re.compile(r"[A-Za-z0-9.-]+(?::[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](?::[0-9]{1,5})?")
_COMPONENT_CHARS = re.compile(r"[a-z0-9._-]+")
_SEPARATOR_RUN = re.compile(r"[._-]+")
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")


@dataclass(frozen=True)
class RegistryLocation:
    """Where charts go: ``host`` (with its port) and the repository ``path`` under it."""

    host: str
    path: str

    def __str__(self) -> str:
        return f"{OCI_SCHEME}{self.host}/{self.path}" if self.path else f"{OCI_SCHEME}{self.host}"

    @property
    def loopback(self) -> bool:
        """A registry on this machine, which docker too speaks plain HTTP to by default."""
        name = self.host if self.host.endswith("]") else self.host.rpartition(":")[0]
        name = (name or self.host).strip("[]")
        if name == "localhost":
            return True
        try:
            return ipaddress.ip_address(name).is_loopback
        except ValueError:
            return False

    def chart(self, name: str, version: str) -> ChartReference:
        """Where Helm pushes chart ``name`` at ``version``."""
        repository = f"{self.path}/{name}" if self.path else name
        problem = repository_problem(repository)
        if problem:
            raise UsageError(f"chart {name!r} cannot be pushed to {self}: {problem}")
        tag = helm_tag(version)
        if not _TAG.fullmatch(tag):
            raise UsageError(f"chart version {version!r} does not make an OCI tag ({tag!r})")
        return ChartReference(host=self.host, repository=repository, tag=tag, version=version)


@dataclass(frozen=True)
class ChartReference:
    """One chart version in a registry: ``repository`` includes the chart name."""

    host: str
    repository: str
    tag: str
    version: str

    def __str__(self) -> str:
        return f"{OCI_SCHEME}{self.host}/{self.repository}:{self.tag}"

    def pinned(self, digest: str) -> str:
        """``oci://HOST/PATH/NAME:TAG@sha256:…``."""
        return f"{self}@{digest}"


def helm_tag(version: str) -> str:
    """The tag Helm pushes ``version`` under (helm/helm#10166)."""
    return version.replace("+", "_")


def parse_registry(text: str) -> RegistryLocation:
    """``oci://HOST[:PORT][/PATH]`` → its host and path; anything else is a :class:`UsageError`
    that says what is wrong."""
    if not text.startswith(OCI_SCHEME):
        raise UsageError(
            f"registry {text!r}: must start with oci://, e.g. oci://ghcr.io/OWNER/charts"
        )
    rest = text[len(OCI_SCHEME) :].rstrip("/")
    host, _, path = rest.partition("/")
    if not _HOST.fullmatch(host):
        raise UsageError(f"registry {text!r}: {host!r} is not a host[:port]")
    if "@" in path or ":" in path:
        raise UsageError(
            f"registry {text!r}: give the repository path only; Helm adds the chart name and "
            "its version as the tag"
        )
    if path:
        problem = repository_problem(path)
        if problem:
            raise UsageError(f"registry {text!r}: {problem}")
    return RegistryLocation(host=host, path=path)


def repository_problem(repository: str) -> str:
    """Why ``repository`` is not a valid OCI repository name, or ``""``."""
    if len(repository) > _MAX_REPOSITORY:
        return f"the repository name is longer than {_MAX_REPOSITORY} characters"
    for component in repository.split("/"):
        if not _valid_component(component):
            return (
                f"{component!r} is not a repository component: lowercase letters and digits, "
                "joined by '.', '_', '__' or dashes"
            )
    return ""


def _valid_component(component: str) -> bool:
    if not _COMPONENT_CHARS.fullmatch(component):
        return False
    if component[0] in "._-" or component[-1] in "._-":
        return False
    return all(
        run.group() in (".", "_", "__") or set(run.group()) == {"-"}
        for run in _SEPARATOR_RUN.finditer(component)
    )
