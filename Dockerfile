FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# Chromium prints the quarterly board pack to PDF (kpis/deck/pack.py), in the worker.
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.lock pyproject.toml ./
RUN pip install --no-cache-dir uv && uv pip install --system --no-cache -r requirements.lock
COPY . .
# Static files are collected into the image, so a web container starts (and restarts) without
# writing anything; the settings need placeholder secrets to load, none of which is kept.
RUN DEBUG=False SECRET_KEY=collectstatic PSEUDONYM_KEY=collectstatic ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput
# Directories that named volumes are mounted on are created here, owned by the app's user,
# so that new volumes take that ownership.
RUN useradd --create-home soteria \
    && mkdir -p /data/private /data/beat \
    && chown soteria /data/private /data/beat
USER soteria
EXPOSE 8000
CMD ["gunicorn", "soteria.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--worker-class", "gthread", "--workers", "3", "--threads", "4", \
     "--timeout", "120", "--graceful-timeout", "60", "--keep-alive", "75"]
