# Build stage: compile TypeScript with the Nest CLI (tsc builder).
FROM node:26-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

# Runtime stage: only production dependencies and the compiled output.
FROM node:26-trixie-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 5007
# A 32 MB young generation (V8's default is 16): half as many scavenges under load; the old generation
# grown to twice the live data between full collections, not V8's up to four times: a flat RSS
# (README, Deployment; bench/README.md).
CMD ["node", "--max-semi-space-size=32", "--heap-growing-percent=100", "dist/apps/integrations/src/main.js"]
