"""Similarity: duplicate relations, multi-story sections and story clusters."""
