// Runs the Avro 1.11.4 oracle (AvroOracle.java) on a batch of requests and maps its typed answers to JS values.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { floatToNumber } from '../../../src/codec/avro-decode';
import { canon } from '../../support/canon';
export { canon };

const ROOT = join(__dirname, '..', '..', '..');
const DIR = join(ROOT, '.testinfra', 'avro');

export type OracleRequest =
  | { op: 'encode'; path: string; json: string }
  | { op: 'decode'; b64: string }
  | { op: 'write'; schema: string; datum: string };

export interface OracleAnswer {
  ok: boolean;
  b64?: string;
  error?: string;
  toStringSame?: boolean;
  value?: unknown;
}

export function runOracle(requests: OracleRequest[]): OracleAnswer[] {
  if (!existsSync(join(DIR, 'classes', 'AvroOracle.class'))) {
    throw new Error('Avro oracle is not built: run scripts/testinfra/avro-oracle.sh (needs a JDK 17 and Maven)');
  }
  const res = spawnSync('java', ['-cp', `${join(DIR, 'classes')}:${join(DIR, 'libs', '*')}`, 'AvroOracle'], {
    input: requests.map((r) => JSON.stringify(r)).join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (res.status !== 0) throw new Error(`Avro oracle failed (exit ${String(res.status)}): ${res.stderr}`);
  const lines = res.stdout.split('\n').filter((l) => l.length > 0);
  if (lines.length !== requests.length) throw new Error(`Avro oracle answered ${lines.length} of ${requests.length} requests`);
  return lines.map((l) => JSON.parse(l) as OracleAnswer);
}

/** JSON text of a JS value as Java should see it: bigint as plain digits, NaN/Infinity as Jackson's non-numeric tokens. */
export function toJsonText(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(toJsonText).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${toJsonText(x)}`).join(',')}}`;
}

/** The JS value our decoder should return for the oracle's typed Jackson tree. */
export function fromTyped(t: unknown): unknown {
  if (t === null || typeof t !== 'object') return t;
  if (Array.isArray(t)) return t.map(fromTyped);
  const o = t as Record<string, unknown>;
  if (typeof o['$int'] === 'string') return Number(o['$int']);
  if (typeof o['$long'] === 'string') {
    const b = BigInt(o['$long']);
    return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
  }
  if (typeof o['$double'] === 'string') return Buffer.from(o['$double'], 'hex').readDoubleBE(0);
  if (typeof o['$float'] === 'string') return floatToNumber(Buffer.from(o['$float'], 'hex').readFloatBE(0));
  const out: Record<string, unknown> = {};
  for (const [k, v] of o['$obj'] as [string, unknown][]) {
    Object.defineProperty(out, k, { value: fromTyped(v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

