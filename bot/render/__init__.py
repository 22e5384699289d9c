"""Pure renderers: Brief / StoryDetail → Discord embed dicts (and embeds → terminal text).

Every builder returns plain dicts in Discord's JSON shape; ``bot.pager`` turns them into
``discord.Embed`` objects with ``discord.Embed.from_dict``, so Discord, ``--discord-json`` and
the console all show the same data. Pages are lists of embeds already fitted by
``bot.limits.fit_message``.
"""
