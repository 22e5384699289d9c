"""The article corpus: schema, storage, queries, topics, themes and brief composition.

This package imports neither discord nor celery; the worker and the bot both build on it.
"""
