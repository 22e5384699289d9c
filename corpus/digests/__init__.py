"""Scheduled digests, exactly once per period.

``parsing`` reads an admin's settings, ``periods`` is the calendar (due periods, time zones,
DST), ``schedules`` stores the schedules and ``composition`` writes each due digest to the outbox.
"""
