# Stage 1: build the SPA.
FROM node:20-bookworm-slim AS spa
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
COPY openapi/ /src/openapi/
RUN npm run build

# Stage 2: the Python service (API and worker share the image).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY backend/ /app/backend/
# Editable install keeps alembic.ini and the SPA at their repository paths.
RUN pip install --no-cache-dir -e /app/backend
COPY --from=spa /src/frontend/dist /app/frontend/dist
WORKDIR /app/backend
RUN useradd --create-home tempo
USER tempo
EXPOSE 8000
CMD ["tempo", "serve", "--host", "0.0.0.0", "--port", "8000"]
