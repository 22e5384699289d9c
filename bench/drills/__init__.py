"""Fault drills: each runs real services (redis-server, Celery workers, the local site, the
database), breaks something on purpose and ends by printing one line of figures.

    python -m bench.drills.sigkill --runs 50
    python -m bench.drills.triple_delivery
    python -m bench.drills.restarts
    python -m bench.drills.hostile
    python -m bench.drills.delivery_restarts --restarts 20
"""
