"""Desktop-app upgrade feeds: tag → channel → segment, synced into the upgrade-config JSON."""
