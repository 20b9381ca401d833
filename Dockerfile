# investledger API / projections worker image.
#   docker build -t investledger .
#   docker run -p 8000:8000 -v investledger-data:/data investledger
# Embedded SQLite under /data by default; set LEDGER_DATABASE_URL=postgresql://... for PostgreSQL
# (see docker-compose.yml, which also runs `investledger projections follow` as a worker).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 investledger \
    && useradd --system --uid 10001 --gid investledger --home-dir /data \
        --no-create-home --shell /usr/sbin/nologin investledger \
    && mkdir -p /data \
    && chown investledger:investledger /data

# Build from a throw-away copy of the sources; only the installed package stays in the image.
COPY . /src
RUN pip install /src && rm -rf /src

ENV LEDGER_DATABASE_URL=sqlite:////data/investledger.db \
    LEDGER_DEMO_TOKENS_FILE=/data/demo-tokens.txt

# Relative paths (e.g. var/) resolve inside the writable data volume.
WORKDIR /data
VOLUME /data
USER investledger
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["investledger", "serve", "--host", "0.0.0.0", "--port", "8000"]
