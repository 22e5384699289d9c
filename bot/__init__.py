"""The Discord front end (discord.py app commands) and its terminal console."""
