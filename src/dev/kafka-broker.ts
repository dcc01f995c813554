// Starts and stops a single-node Apache Kafka broker (KRaft, combined broker+controller) on 127.0.0.1 from the
// jars that scripts/testinfra/kafka.sh fetches. Used by the integration tests and the demo; not public API.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

export interface KafkaBrokerOptions {
  /** Folder holding the broker's data dir, config and log. Kept on stop when given; a temp folder (removed on stop) otherwise. */
  dir?: string;
  /** Client port; a free one when unset. Pass the previous broker's port to restart it in place. */
  port?: number;
  controllerPort?: number;
  /** Folder with the Kafka jars; default `$KAFKA_LIBS` or `<project>/.testinfra/kafka/libs`. */
  libsDir?: string;
  /** Default 90 s: a cold JVM on 2 busy cores can be slow. */
  startTimeoutMs?: number;
  /** KRaft cluster id for a fresh data dir (16 bytes, base64url); random when unset. */
  clusterId?: string;
  /** Extra or overriding server.properties entries. */
  properties?: Record<string, string | number | boolean>;
}

export interface KafkaBroker {
  /** `['127.0.0.1:<port>']`, ready for `new Kafka({ brokers })`. */
  readonly brokers: string[];
  readonly port: number;
  readonly controllerPort: number;
  readonly dir: string;
  readonly pid: number;
  readonly logFile: string;
  /** The last `lines` lines of the broker log (for failure reports). */
  logTail(lines?: number): string;
  /** SIGTERM (controlled shutdown), then SIGKILL after `graceMs`; by PID only. Removes the temp folder it created. */
  stop(graceMs?: number): Promise<void>;
}

// Startup speed matters more than throughput here: C1 only, small heap, G1 with short pauses.
const JVM_FLAGS = [
  '-Xms256m', '-Xmx512m', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:+ExplicitGCInvokesConcurrent',
  '-XX:TieredStopAtLevel=1', '-XX:-UsePerfData', '-Djava.awt.headless=true',
];

const LOG4J2 = `status = warn
appender.file.type = Console
appender.file.name = OUT
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = OUT
logger.state.name = state.change.logger
logger.state.level = WARN
logger.controller.name = org.apache.kafka.controller
logger.controller.level = WARN
logger.request.name = kafka.request.logger
logger.request.level = WARN
`;

export function defaultKafkaLibsDir(): string {
  if (process.env.KAFKA_LIBS) return resolve(process.env.KAFKA_LIBS);
  // Works from src/dev (ts-node, jest) and from dist/dev alike: walk up to the folder holding the fetch script.
  for (let d = __dirname; d !== dirname(d); d = dirname(d)) {
    if (existsSync(join(d, 'scripts', 'testinfra', 'kafka.sh'))) return join(d, '.testinfra', 'kafka', 'libs');
  }
  return resolve('.testinfra', 'kafka', 'libs');
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? res(addr.port) : rej(new Error('no port assigned'))));
    });
  });
}

function serverProperties(dataDir: string, port: number, controllerPort: number, extra: KafkaBrokerOptions['properties']): string {
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': dataDir,
    // One node: every internal topic has RF 1 and few partitions, so the coordinators load fast.
    'num.partitions': 1,
    'default.replication.factor': 1,
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
    'auto.create.topics.enable': true,
    'num.network.threads': 2,
    'num.io.threads': 2,
    ...extra,
  };
  return Object.entries(props).map(([k, v]) => `${k}=${String(v)}`).join('\n') + '\n';
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '(no broker log)';
  }
}

function fatalLogged(file: string): boolean {
  try {
    return readFileSync(file, 'utf8').includes('Exiting Kafka due to fatal exception');
  } catch {
    return false;
  }
}

function runToEnd(child: ChildProcess): Promise<number | null> {
  return new Promise((res) => {
    if (child.exitCode !== null || child.signalCode !== null) return res(child.exitCode);
    child.once('exit', (code) => res(code));
  });
}

async function waitUntilReady(brokers: string[], child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => { exited = true; });
  const kafka = new Kafka({ clientId: 'k4k-broker-probe', brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1000, requestTimeout: 3000 });
  let lastError = '';
  while (Date.now() < deadline) {
    if (exited) throw new Error(`Kafka broker exited during startup (code ${String(child.exitCode)}); log tail:\n${tail(logFile, 40)}`);
    // After a fatal startup error the JVM can take long to exit (or hang in shutdown hooks): fail on the log line.
    if (fatalLogged(logFile)) throw new Error(`Kafka broker failed to start; log tail:\n${tail(logFile, 40)}`);
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0 && cluster.controller !== null) return;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`Kafka broker on ${brokers.join(',')} not ready after ${timeoutMs} ms (last error: ${lastError}); log tail:\n${tail(logFile, 40)}`);
}

export async function startKafkaBroker(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  // A free port found here can be taken by another process before the JVM binds it; pick others then.
  const ownPorts = options.port === undefined && options.controllerPort === undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      if (!ownPorts || attempt >= 3 || !/Address already in use|BindException/.test(String(err))) throw err;
    }
  }
}

async function startOnce(options: KafkaBrokerOptions): Promise<KafkaBroker> {
  const libs = options.libsDir ?? defaultKafkaLibsDir();
  if (!existsSync(libs) || !readdirSync(libs).some((f) => /^kafka_2\.13-.*\.jar$/.test(f))) {
    throw new Error(`Kafka jars not found in ${libs}: run scripts/testinfra/kafka.sh first`);
  }
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'k4k-kafka-'));
  mkdirSync(dir, { recursive: true });
  const port = options.port ?? await freePort();
  let controllerPort = options.controllerPort ?? await freePort();
  while (controllerPort === port) controllerPort = await freePort();

  const dataDir = join(dir, 'data');
  const propsFile = join(dir, 'server.properties');
  const logFile = join(dir, 'kafka.log');
  writeFileSync(propsFile, serverProperties(dataDir, port, controllerPort, options.properties));
  writeFileSync(join(dir, 'log4j2.properties'), LOG4J2);
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const jvm = [...JVM_FLAGS, `-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`, '-cp', `${libs}/*`];

  // Formatting is skipped on a restart: the data dir keeps its cluster id and metadata log.
  if (!existsSync(join(dataDir, 'meta.properties'))) {
    // Kafka's argument parser reads an id starting with '-' as an option (1 in 64 random ids), so pass it as --cluster-id=<id>.
    const clusterId = options.clusterId ?? randomBytes(16).toString('base64url');
    const fmtLog = openSync(logFile, 'a');
    const fmt = spawn(java, [...jvm, 'kafka.tools.StorageTool', 'format', `--cluster-id=${clusterId}`, '-c', propsFile, '--ignore-formatted'],
      { stdio: ['ignore', fmtLog, fmtLog] });
    const code = await runToEnd(fmt);
    closeSync(fmtLog);
    if (code !== 0) {
      const report = `formatting the Kafka data dir failed (exit ${String(code)}); log tail:\n${tail(logFile, 40)}`;
      if (ownDir) rmSync(dir, { recursive: true, force: true });
      throw new Error(report);
    }
  }

  const out = openSync(logFile, 'a');
  const child = spawn(java, [...jvm, 'kafka.Kafka', propsFile], { stdio: ['ignore', out, out] });
  closeSync(out);
  if (child.pid === undefined) throw new Error(`could not start ${java}`);
  const pid = child.pid;
  // If the Node process dies first, the JVM must not outlive it holding the port.
  const killOnExit = (): void => { try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ } };
  process.once('exit', killOnExit);

  let stopped = false;
  const stop = async (graceMs = 30_000): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const ended = runToEnd(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await ended;
      clearTimeout(timer);
    }
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  };

  const brokers = [`127.0.0.1:${port}`];
  try {
    await waitUntilReady(brokers, child, logFile, options.startTimeoutMs ?? 90_000);
  } catch (err) {
    const report = err instanceof Error ? err.message : String(err);
    await stop(5_000);
    throw new Error(report);
  }
  return { brokers, port, controllerPort, dir, pid, logFile, logTail: (n = 40) => tail(logFile, n), stop };
}
