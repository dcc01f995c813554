// Starts moto server (AWS KMS + Secrets Manager emulator) on 127.0.0.1 for the AWS provider tests.
// Use an existing one with K4K_AWS_ENDPOINT=http://127.0.0.1:<port>; otherwise it needs
// scripts/testinfra/moto.sh to have installed moto into .testinfra/venv.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { StartedService } from '../service';

const ROOT = join(__dirname, '..', '..', '..');
const MOTO = join(ROOT, '.testinfra', 'venv', 'bin', 'moto_server');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function ready(url: string, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(`${url}/moto-api/`)).ok) return true;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

export async function start(): Promise<StartedService> {
  const existing = process.env.K4K_AWS_ENDPOINT;
  if (existing) return { name: 'aws', env: { K4K_AWS_ENDPOINT: existing }, stop: async () => {} };
  if (!existsSync(MOTO)) throw new Error(`moto server not installed at ${MOTO}: run scripts/testinfra/moto.sh`);
  const port = await freePort();
  const logDir = join(ROOT, '.testinfra', 'logs');
  mkdirSync(logDir, { recursive: true });
  const log = openSync(join(logDir, 'moto.log'), 'w');
  const child = spawn(MOTO, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', log, log] });
  const url = `http://127.0.0.1:${port}`;
  if (!(await ready(url, 30_000))) {
    child.kill('SIGKILL');
    throw new Error(`moto server did not answer on ${url} within 30 s (log: .testinfra/logs/moto.log)`);
  }
  return {
    name: 'aws',
    env: { K4K_AWS_ENDPOINT: url },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
