"""Test support: a local news web site served over real HTTP (see ``tests.support.site``)."""
