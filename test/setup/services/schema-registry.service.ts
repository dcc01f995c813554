// Jest global-setup service: a Confluent-compatible Schema Registry on 127.0.0.1 (Apicurio Registry's ccompat API,
// fetched by scripts/testinfra/apicurio.sh), or the one SCHEMA_REGISTRY_URL already names.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../../src/dev/kafka-broker';
import type { StartedService } from '../service';

const LAUNCH_FILE = resolve(__dirname, '../../../.testinfra/apicurio/launch.env');
const CCOMPAT = '/apis/ccompat/v7';

function readLaunchEnv(): Record<string, string> {
  if (!existsSync(LAUNCH_FILE)) {
    throw new Error(`Apicurio Registry is not installed (${LAUNCH_FILE} missing): run scripts/testinfra/apicurio.sh first`);
  }
  const env: Record<string, string> = {};
  for (const line of readFileSync(LAUNCH_FILE, 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1] as string] = m[2] as string;
  }
  for (const k of ['APICURIO_JAVA', 'APICURIO_JAR']) {
    if (!env[k] || !existsSync(env[k] as string)) throw new Error(`${LAUNCH_FILE}: ${k} is missing or points nowhere; re-run scripts/testinfra/apicurio.sh`);
  }
  return env;
}

function tail(file: string, lines = 30): string {
  try { return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n'); } catch { return '(no log)'; }
}

async function waitReady(url: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Apicurio exited during startup (code ${String(child.exitCode)}); log tail:\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Apicurio not ready at ${url} after ${timeoutMs} ms (last: ${last}); log tail:\n${tail(logFile)}`);
}

export async function start(): Promise<StartedService> {
  const existing = process.env.SCHEMA_REGISTRY_URL?.trim();
  if (existing) return { name: 'schema-registry (existing)', env: { SCHEMA_REGISTRY_URL: existing }, stop: async () => undefined };

  const launch = readLaunchEnv();
  const port = await freePort();
  let mgmtPort = await freePort();
  while (mgmtPort === port) mgmtPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'k4k-apicurio-'));
  const logFile = join(dir, 'apicurio.log');
  const out = openSync(logFile, 'a');
  // Storage is Apicurio's default in-memory H2, so every run starts with an empty registry.
  const child = spawn(launch.APICURIO_JAVA as string, [
    '-Xms128m', '-Xmx384m', '-XX:TieredStopAtLevel=1', '-XX:-UsePerfData', '-Djava.awt.headless=true',
    '-Dquarkus.http.host=127.0.0.1', `-Dquarkus.http.port=${port}`,
    '-Dquarkus.management.host=127.0.0.1', `-Dquarkus.management.port=${mgmtPort}`,
    '-Djava.util.logging.manager=org.jboss.logmanager.LogManager',
    '-jar', launch.APICURIO_JAR as string,
  ], { stdio: ['ignore', out, out], cwd: dir });
  closeSync(out);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${launch.APICURIO_JAVA}`);
  const killOnExit = (): void => { try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ } };
  process.once('exit', killOnExit);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const ended = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await ended;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}${CCOMPAT}`;
  try {
    await waitReady(url, child, logFile, 120_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { name: `schema-registry (Apicurio ${launch.APICURIO_VERSION ?? '?'})`, env: { SCHEMA_REGISTRY_URL: url }, stop };
}
