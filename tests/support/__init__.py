"""The test bench: a fake GitHub API on loopback, real git repositories, an action.yml runner."""
