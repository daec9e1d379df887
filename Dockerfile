# newsmon for docker-compose.yml: the CLI with its dependencies, nothing else.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY crawler crawler
COPY spiders spiders
COPY index index
COPY monitor monitor
COPY sampleweb sampleweb
RUN pip install --no-cache-dir .
ENV NEWSMON_HOME=/data
VOLUME /data
ENTRYPOINT ["newsmon"]
