FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.lock pyproject.toml ./
RUN pip install --no-cache-dir uv && uv pip install --system --no-cache -r requirements.lock
COPY . .
RUN useradd --create-home soteria && mkdir -p /data/private && chown soteria /data/private
USER soteria
EXPOSE 8000
CMD ["gunicorn", "soteria.wsgi:application", "--bind", "0.0.0.0:8000"]
