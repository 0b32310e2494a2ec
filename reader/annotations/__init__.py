"""Annotations: anchoring highlights to changing text, re-anchoring on import, export formats.

Domain code only (never imports textual). The store keeps annotations
(reader/store/annotations.py); the CLI is reader/commands/annotations.py.
"""
