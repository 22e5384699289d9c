# One image for the worker, beat and bot services.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    NEWSBRIEF_DATA_DIR=/data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY corpus ./corpus
COPY worker ./worker
COPY bot ./bot
COPY newsbrief ./newsbrief
RUN pip install --no-cache-dir . \
    && useradd --create-home --uid 10001 newsbrief \
    && mkdir -p /data && chown newsbrief /data

USER newsbrief
VOLUME ["/data"]
ENTRYPOINT ["newsbrief"]
