// Result rows of a bench run, the printed table and bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { pairedRatio, type Measured } from './measure';

export interface Row {
  readonly section: string;
  readonly case: string;
  readonly ours: number;
  /** What `ours` is compared with (absent for rows without a baseline). */
  readonly baseline?: string;
  readonly theirs?: number;
  /** ours / theirs; higher is better. */
  readonly ratio?: number;
  readonly unit: string;
  /** The ratio's key in `ratios`, for the tracked figures. */
  readonly key?: string;
  readonly target?: number;
}

/** A row comparing two contenders measured side by side; the ratio is the median of per-round ratios. */
export function compare(section: string, name: string, unit: string, ours: Measured, baseline: string, theirs: Measured,
  key?: string, target?: number): Row {
  return { section, case: name, ours: ours.opsPerSec, baseline, theirs: theirs.opsPerSec, ratio: pairedRatio(ours, theirs), unit, key, target };
}

function fmt(n: number | undefined): string {
  if (n === undefined) return '';
  if (n >= 100) return Math.round(n).toLocaleString('en-US');
  return n.toPrecision(3);
}

export function printTable(rows: readonly Row[]): string {
  const head = ['section', 'case', 'ours', 'baseline', 'theirs', 'ratio', 'target'];
  const body = rows.map((r) => [
    r.section, r.case, `${fmt(r.ours)} ${r.unit}`, r.baseline ?? '', r.theirs === undefined ? '' : `${fmt(r.theirs)} ${r.unit}`,
    r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`,
    r.target === undefined || r.ratio === undefined ? '' : `>= ${r.target}x ${r.ratio >= r.target ? 'met' : 'MISSED'}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
}

export function machine(): Record<string, unknown> {
  const c = cpus();
  return {
    cpu: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    openssl: process.versions.openssl,
    platform: `${process.platform} ${process.arch}`,
  };
}

export function writeResults(file: string, rows: readonly Row[], extra: Record<string, unknown>): void {
  const ratios: Record<string, number> = {};
  for (const r of rows) if (r.key !== undefined && r.ratio !== undefined) ratios[r.key] = Math.round(r.ratio * 1000) / 1000;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine: machine(), ratios, ...extra, rows }, null, 2) + '\n');
}
