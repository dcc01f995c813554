// `npm run bench`: field, record and end-to-end benchmarks in one run; prints one table and writes
// bench/results/latest.json (figures, machine, and the tracked `ratios`, ours / theirs, higher is better).
import { join } from 'node:path';
import { fieldBench } from './field';
import { recordBench } from './record';
import { e2eBench } from './e2e';
import { CLOCK, DEFAULT_MEASURE } from './lib/measure';
import { machine, printTable, writeResults, type Row } from './lib/report';
import { projectRoot } from './lib/root';

const TRACKED = ['gcm_vs_node_16', 'gcm_vs_node_256', 'siv_vs_noble_16', 'siv_vs_noble_256', 'gcm_vs_confluent_256',
  'siv_vs_confluent_256', 'e2e_vs_plain_kafkajs'];

async function main(): Promise<void> {
  const log = (s: string): void => { process.stderr.write(`${s}\n`); };
  const only = new Set((process.env.BENCH_ONLY ?? 'field,record,e2e').split(',').map((s) => s.trim()));
  const started = Date.now();
  const rows: Row[] = [];
  if (only.has('field')) rows.push(...await fieldBench(log));
  if (only.has('record')) rows.push(...await recordBench(log));
  let e2eRuns: unknown[] = [];
  if (only.has('e2e')) {
    const e2e = await e2eBench(log);
    rows.push(...e2e.rows);
    e2eRuns = e2e.runs;
  }
  const file = join(projectRoot(), 'bench', 'results', 'latest.json');
  const measured = new Set(rows.map((r) => r.key).filter(Boolean));
  const missing = TRACKED.filter((k) => !measured.has(k));
  writeResults(file, rows, {
    clock: CLOCK,
    measure: DEFAULT_MEASURE,
    e2e: { records: Number(process.env.E2E_RECORDS ?? 100_000), rounds: Number(process.env.E2E_ROUNDS ?? 3), runs: e2eRuns },
    notMeasured: missing,
    seconds: Math.round((Date.now() - started) / 1000),
  });
  const m = machine();
  process.stdout.write(`${printTable(rows)}\n\n`);
  process.stdout.write(`ratios = ours / theirs, median of interleaved rounds (${CLOCK === 'cpu' ? 'CPU time of this process' : 'wall clock'}); ` +
    `${String(m.cpu)} x${String(m.cores)}, Node ${String(m.node)}, OpenSSL ${String(m.openssl)}\n`);
  if (missing.length > 0) process.stdout.write(`not measured in this run: ${missing.join(', ')}\n`);
  process.stdout.write(`written: ${file}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
