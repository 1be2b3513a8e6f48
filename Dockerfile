# Knudepunkt in production: the web app is built once here, and the container runs
# `knudepunkt migrate` and then `knudepunkt serve`, as docs/operations.md describes.
# Untested: the machines this project is built on reach no image registry (see docs/operations.md).

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    KNUDEPUNKT_DATA_DIR=/var/lib/knudepunkt/data \
    KNUDEPUNKT_MAIL_DIR=/var/lib/knudepunkt/mail
WORKDIR /app
# tsx runs the TypeScript server, so the runtime needs the production dependencies and the sources, no compile step.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
COPY bin ./bin
COPY server ./server
COPY reference ./reference
COPY --from=build /app/dist/web ./dist/web
# Named volumes take the owner of these folders, so the non-root user can write to them.
RUN mkdir -p /var/lib/knudepunkt/data /var/lib/knudepunkt/mail && chown -R node:node /var/lib/knudepunkt
USER node
EXPOSE 3000
CMD ["sh", "-c", "node bin/knudepunkt.js migrate && exec node bin/knudepunkt.js serve"]
