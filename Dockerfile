# The kg command in a container: `docker compose up -d` runs it as the `kg` service
# (kg watch on ./issues, loading into the neo4j service) and serves the Browser guide.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY kg ./kg
COPY schemas ./schemas
COPY scripts ./scripts
# editable: kg reads schemas/ and scripts/queries/ beside its package, here in /app
RUN pip install --no-cache-dir -e .
ENV KG_HOME=/var/lib/kg
ENTRYPOINT ["kg"]
CMD ["--help"]
