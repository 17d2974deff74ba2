# Multi-stage build: wheels are built in the first stage, the runtime image has no compiler.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY storage ./storage
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    CLUSTERBOT_DB_PATH=/data/clusterbot.sqlite3 \
    CLUSTERBOT_CONTENT_DIR=/app/content \
    CLUSTERBOT_INDEX_CACHE=/app/index \
    CLUSTERBOT_WEB_HOST=0.0.0.0
RUN useradd --create-home --uid 10001 clusterbot \
    && mkdir -p /data /app/index \
    && chown clusterbot:clusterbot /data /app/index \
    && chmod 700 /app/index
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
COPY content /app/content
USER clusterbot
# The knowledge index, built once here: each start reads it instead of indexing again.
RUN clusterbot build-index
WORKDIR /app
VOLUME ["/data"]
ENTRYPOINT ["clusterbot"]
CMD ["run"]
