"""Subcommands of ``newsbrief``; each module exposes ``register(subparsers)``.

A registered parser sets ``handler=fn(args, settings) -> int`` via ``set_defaults``.
"""
