"""release-actions: the logic behind the chart-release, upgrade-config and changelog actions."""

# The one place the version is written: pyproject reads it (hatch), and the actions run the
# package from the source tree, where no installed metadata exists.
__version__ = "0.1.0"
# Here, not in http.py: the GitHub client sends it too, and must not import httpx for it.
USER_AGENT = f"release-actions/{__version__}"

__all__ = ["USER_AGENT", "__version__"]
