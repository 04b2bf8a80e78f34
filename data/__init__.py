"""The canonical deep-learning term set, shipped as package data (terms.yaml, schema.json)."""
