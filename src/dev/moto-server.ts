// Starts moto server (AWS KMS + Secrets Manager emulator) on 127.0.0.1 from the venv that
// scripts/testinfra/moto.sh installs. Used by the demo and the test setup; not public API.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './kafka-broker';

const ROOT = join(__dirname, '..', '..');

export interface MotoServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  stop(): Promise<void>;
}

export async function startMotoServer(options: { venvDir?: string; logFile?: string; startTimeoutMs?: number } = {}): Promise<MotoServer> {
  const moto = join(options.venvDir ?? join(ROOT, '.testinfra', 'venv'), 'bin', 'moto_server');
  if (!existsSync(moto)) throw new Error(`moto server is not installed at ${moto}: run scripts/testinfra/moto.sh`);
  const logFile = options.logFile ?? join(ROOT, '.testinfra', 'logs', 'moto.log');
  mkdirSync(join(logFile, '..'), { recursive: true });
  const port = await freePort();
  const log = openSync(logFile, 'w');
  const child = spawn(moto, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', log, log] });
  closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    try {
      if ((await fetch(`${url}/moto-api/`)).ok) break;
    } catch { /* not listening yet */ }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto server did not answer on ${url} (log: ${logFile})`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
