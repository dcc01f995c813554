// End to end on a real broker: plain KafkaJS and the encrypting/decrypting middleware, each run in a fresh
// child process (bench/e2e-worker.ts) so its peak memory is its own, alternating plain/encrypted over the rounds.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startKafkaBroker, type KafkaBroker } from '../src/dev/kafka-broker';
import { median } from './lib/measure';
import type { Row } from './lib/report';
import { projectRoot } from './lib/root';
import type { E2eResult } from './e2e-worker';

const ROUNDS = Number(process.env.E2E_ROUNDS ?? 3);

function runWorker(mode: E2eResult['mode'], brokers: string): Promise<E2eResult> {
  const ts = __filename.endsWith('.ts');
  const args = [...(ts ? ['-r', 'ts-node/register/transpile-only'] : []), join(__dirname, `e2e-worker${ts ? '.ts' : '.js'}`), mode];
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, KAFKA_BROKERS: brokers }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', rej);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) rej(new Error(`e2e ${mode} run failed (exit ${String(code)}): ${err.slice(-2000)}`));
      else res(JSON.parse(line) as E2eResult);
    });
  });
}

async function brokerList(log: (s: string) => void): Promise<{ brokers: string; broker?: KafkaBroker }> {
  if (process.env.KAFKA_BROKERS) return { brokers: process.env.KAFKA_BROKERS };
  const root = projectRoot();
  const fetch = spawnSync('bash', [join(root, 'scripts', 'testinfra', 'kafka.sh')], { stdio: ['ignore', 'pipe', 'inherit'] });
  if (fetch.status !== 0) throw new Error('scripts/testinfra/kafka.sh failed: the end-to-end bench needs the Kafka jars (or set KAFKA_BROKERS)');
  log('e2e: starting a Kafka broker');
  const broker = await startKafkaBroker({ libsDir: join(root, '.testinfra', 'kafka', 'libs') });
  return { brokers: broker.brokers.join(','), broker };
}

const MB = 2 ** 20;

export async function e2eBench(log: (s: string) => void = () => undefined): Promise<{ rows: Row[]; runs: E2eResult[] }> {
  const { brokers, broker } = await brokerList(log);
  const runs: E2eResult[] = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const order: E2eResult['mode'][] = r % 2 === 0 ? ['plain', 'encrypted'] : ['encrypted', 'plain'];
      for (const mode of order) {
        log(`e2e: round ${r + 1}/${ROUNDS} ${mode}`);
        const result = await runWorker(mode, brokers);
        log(`e2e:   ${Math.round(result.recordsPerSec)} records/s, peak RSS ${Math.round(result.peakRss / MB)} MiB`);
        runs.push(result);
      }
    }
  } finally {
    await broker?.stop();
  }
  const of = (mode: E2eResult['mode']): E2eResult[] => runs.filter((x) => x.mode === mode);
  const plain = of('plain');
  const enc = of('encrypted');
  const pick = (xs: E2eResult[], f: (x: E2eResult) => number): number => median(xs.map(f));
  // Rounds ran in pairs next to each other; the ratio is the median of the pairs' ratios.
  const paired = (f: (x: E2eResult) => number): number => median(enc.map((e, i) => f(e) / f(plain[i] as E2eResult)));
  const n = plain[0]?.records ?? 0;
  const section = `e2e ${n.toLocaleString('en-US')} x 1 KB, 3 fields`;
  const rows: Row[] = [
    { section, case: 'produce + consume (AES_GCM)', unit: 'records/s', ours: pick(enc, (x) => x.recordsPerSec), baseline: 'plain KafkaJS, same pipeline',
      theirs: pick(plain, (x) => x.recordsPerSec), ratio: paired((x) => x.recordsPerSec), key: 'e2e_vs_plain_kafkajs', target: 0.8 },
    { section, case: 'producer sends alone (AES_GCM)', unit: 'records/s', ours: pick(enc, (x) => x.producedPerSec), baseline: 'plain KafkaJS producer',
      theirs: pick(plain, (x) => x.producedPerSec), ratio: paired((x) => x.producedPerSec), key: 'e2e_produce_vs_plain_kafkajs' },
    { section, case: 'peak RSS during the run', unit: 'MiB', ours: pick(enc, (x) => x.peakRss / MB), baseline: 'plain KafkaJS',
      theirs: pick(plain, (x) => x.peakRss / MB) },
    { section, case: 'peak heap used during the run', unit: 'MiB', ours: pick(enc, (x) => x.peakHeapUsed / MB), baseline: 'plain KafkaJS',
      theirs: pick(plain, (x) => x.peakHeapUsed / MB) },
    { section, case: 'CPU seconds of the Node process', unit: 's', ours: pick(enc, (x) => x.cpuSeconds), baseline: 'plain KafkaJS',
      theirs: pick(plain, (x) => x.cpuSeconds) },
  ];
  return { rows, runs };
}
