"""Subcommands of the areas beyond the core (clusters, entities, diff, annotations)."""
