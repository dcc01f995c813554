// No Docker engine runs on our machines, so the compose file is checked by reading it: its services, ports,
// environment and command must agree with what the demo and its examples really read and run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { image?: string; build?: string; ports?: string[]; environment?: Record<string, string>;
    command?: string[]; depends_on?: Record<string, { condition: string }>; healthcheck?: unknown }>;
};
const demoSource = readFileSync(join(root, 'scripts', 'demo.ts'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

describe('docker-compose.yml', () => {
  const { kafka, moto, demo } = compose.services;

  it('has the broker, the AWS emulator and the demo app', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['demo', 'kafka', 'moto']);
    expect(kafka?.image).toMatch(/^apache\/kafka:4\./);
    expect(moto?.image).toMatch(/^motoserver\/moto:/);
    expect(demo?.build).toBe('.');
  });

  it('runs Kafka as a KRaft combined node whose internal listener is what the demo connects to', () => {
    const env = kafka?.environment ?? {};
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(`${env.KAFKA_NODE_ID}@kafka:9093`);
    const advertised = Object.fromEntries((env.KAFKA_ADVERTISED_LISTENERS ?? '').split(',').map((l) => l.split('://') as [string, string]));
    expect(demo?.environment?.KAFKA_BROKERS).toBe(advertised.PLAINTEXT);
    expect(env.KAFKA_LISTENERS).toContain(`PLAINTEXT://:${advertised.PLAINTEXT?.split(':')[1]}`);
    expect(kafka?.ports).toContain(`${advertised.EXTERNAL?.split(':')[1]}:9092`);
    for (const rf of ['KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR', 'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR']) expect(env[rf]).toBe('1');
  });

  it('points the demo at the emulator port moto listens on, and waits for both services to be healthy', () => {
    expect(demo?.environment?.AWS_ENDPOINT_URL).toBe('http://moto:5000');
    expect(moto?.ports).toContain('5000:5000');
    expect(demo?.depends_on).toEqual({ kafka: { condition: 'service_healthy' }, moto: { condition: 'service_healthy' } });
    expect(kafka?.healthcheck).toBeDefined();
    expect(moto?.healthcheck).toBeDefined();
  });

  it('sets only environment variables the demo reads, and runs the command npm run demo runs', () => {
    const read = new Set([...demoSource.matchAll(/process\.env\.([A-Z_]+)/g)].map((m) => m[1]));
    for (const name of Object.keys(demo?.environment ?? {})) expect(read).toContain(name);
    const command = (demo?.command ?? []).join(' ');
    expect(command).toBe('npx ts-node --transpile-only scripts/demo.ts');
    expect(pkg.scripts.demo).toContain(command.replace(/^npx /, ''));
    expect(dockerfile).toContain(`CMD ${JSON.stringify(demo?.command)}`.replace(/","/g, '", "'));
    expect(dockerfile).toMatch(/^FROM node:20/m);
  });
});
