# The demo app of docker-compose.yml: this repository on Node.js 20. The broker and the AWS emulator are
# other services, so the demo reaches them through KAFKA_BROKERS and AWS_ENDPOINT_URL.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY examples ./examples
COPY scripts ./scripts
CMD ["npx", "ts-node", "--transpile-only", "scripts/demo.ts"]
