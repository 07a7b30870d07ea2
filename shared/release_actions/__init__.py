"""release-actions: the logic behind the chart-release, upgrade-config and changelog actions."""

# The one place the version is written: pyproject reads it (hatch), and the actions run the
# package from the source tree, where no installed metadata exists.
__version__ = "0.1.0"

__all__ = ["__version__"]
