# Maillage's production image: one image for web (gunicorn + whitenoise), worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app/platform:/app \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 maillage

WORKDIR /app

# Dependencies first (cached while pyproject.toml does not change).
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml','rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# Translations and hashed, compressed static files are built into the image. The
# production settings insist on their variables: placeholders suffice to build.
RUN python manage.py compilemessages --ignore=.venv --use-fuzzy -v 0 \
    && SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 REDIS_URL=redis://localhost:6379/0 \
       EMAIL_URL=consolemail:// ALLOWED_HOSTS=localhost CSRF_TRUSTED_ORIGINS=https://localhost \
       SITE_URL=https://localhost MAILLAGE_VAR_DIR=/tmp/build-var \
       DJANGO_SETTINGS_MODULE=maillage.settings.production \
       python manage.py collectstatic --noinput -v 0 \
    && rm -rf /tmp/build-var /tmp/build.sqlite3 \
    && mkdir -p /data/media /data/var /data/static && chown -R maillage /data

# Every process of this image is a production one unless told otherwise (the
# production settings refuse to start without their variables, never fall back).
ENV DJANGO_SETTINGS_MODULE=maillage.settings.production

USER maillage
EXPOSE 8000
CMD ["gunicorn", "maillage.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
