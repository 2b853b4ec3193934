FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# Pango and fonts for WeasyPrint's PDFs (Cyrillic and Kazakh letters), gettext to compile the translations.
# postgresql-client: pg_dump/pg_restore for `manage.py backup`/`restore` (version 15, as the compose database).
RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext postgresql-client \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . \
    && SECRET_KEY=collectstatic-only FIELD_ENCRYPTION_KEY=ZGV2LW9ubHktZmllbGQta2V5LWRvLW5vdC11c2UtMDA= \
       python manage.py collectstatic --noinput
# Compiled translations are built, not committed (.gitignore): the image compiles the .po files itself.
RUN SECRET_KEY=compilemessages-only FIELD_ENCRYPTION_KEY=ZGV2LW9ubHktZmllbGQta2V5LWRvLW5vdC11c2UtMDA= \
    python manage.py compilemessages --ignore=.venv
RUN useradd --system --home /app kuzet && mkdir -p /app/media && chown kuzet /app/media
USER kuzet
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
