# Quorum's container image. Build:   docker build -t quorum .
# Run:     docker run -p 3000:3000 -v quorum-data:/data -e PUBLIC_URL=https://notes.example.org quorum
# test/server/container.test.ts performs these steps (install, build, prune, start as the image's
# user, the health check) in a clean directory, since the test machines have no container engine.

# ---- build: dependencies (better-sqlite3 compiles here when no prebuilt binary fits), client bundle
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# The install applies the repository's patch of @lexical/yjs and yjs (postinstall).
COPY scripts/patch-lexical-yjs.mjs scripts/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# ---- run: the server and the CLI (sources run by tsx), production dependencies, the built client
FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data SERVE_CLIENT=true
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json /app/tsconfig.json /app/tsconfig.base.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/server server
COPY --from=build /app/shared shared
COPY --from=build /app/scripts scripts
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# The server itself, not `npm start` (which would rebuild the client if it looked stale): signals
# reach it directly, and it writes every document before it exits.
CMD ["node", "--import", "tsx", "server/main.ts"]
