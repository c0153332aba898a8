"""The web: Flask blueprints, one per feature, a thin client of tool.pipeline and the store."""
