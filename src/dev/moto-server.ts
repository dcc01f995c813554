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
  // The free port can be taken by another process before moto binds it; moto then exits and a new port is tried.
  for (let attempt = 1; ; attempt++) {
    const started = await startOnce(moto, await freePort(), logFile, options.startTimeoutMs ?? 30_000);
    if (started !== 'exited') return started;
    if (attempt === 3) throw new Error(`moto server exited at start three times (log: ${logFile})`);
  }
}

async function startOnce(moto: string, port: number, logFile: string, timeoutMs: number): Promise<MotoServer | 'exited'> {
  const log = openSync(logFile, 'w');
  const child = spawn(moto, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', log, log] });
  closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) return 'exited';
    try {
      if ((await fetch(`${url}/moto-api/`)).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto server did not answer on ${url} within ${timeoutMs} ms (log: ${logFile})`);
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
