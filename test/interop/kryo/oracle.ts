// Client for the Kryo 5.6.2 oracle (KryoOracle.java): one JVM per batch, typed values ("TV") in both directions.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { kryoClassOf } from '../../../src/codec/kryo-writer';
import { KryoId } from '../../../src/codec/kryo-registry';
import { canon } from '../../support/canon';
export { canon };

const ROOT = join(__dirname, '..', '..', '..');
const DIR = join(ROOT, '.testinfra', 'kryo');
export const KRYO_ORACLE_SETUP = 'scripts/testinfra/kryo-oracle.sh';
/** Kryo's reflective wrapper serializers and the HeapByteBuffer registration need these on JDK 17 (as in Kryptonite's tests). */
const JVM_FLAGS = ['--add-opens', 'java.base/java.util=ALL-UNNAMED', '--add-opens', 'java.base/java.nio=ALL-UNNAMED'];

export type TV = null | { t: string; v: unknown };

export type OracleRequest =
  | { op: 'write' | 'kryptoniteBytes'; value: TV }
  | { op: 'read'; bytes: string }
  | { op: 'k1encode'; ciphertext: string; algorithmId: string; keyId: string; version: string }
  | { op: 'k1decode'; bytes: string }
  | { op: 'registrations' };

export interface OracleAnswer {
  ok: boolean;
  error?: string;
  bytes?: string;
  class?: string;
  value?: TV;
  consumed?: number;
  ciphertext?: string;
  algorithmId?: string;
  keyId?: string;
  version?: string;
  registrations?: { id: number; class: string }[];
}

export function runKryoOracle(requests: OracleRequest[]): OracleAnswer[] {
  if (!existsSync(join(DIR, 'classes', 'KryoOracle.class')) || !existsSync(join(DIR, 'libs', 'kryo-5.6.2.jar'))) {
    throw new Error(`Kryo oracle is not built under .testinfra/kryo: run 'bash ${KRYO_ORACLE_SETUP}' (needs JDK 17 and Maven)`);
  }
  const res = spawnSync('java', [...JVM_FLAGS, '-cp', `${join(DIR, 'classes')}:${join(DIR, 'libs', '*')}`, 'KryoOracle'], {
    input: requests.map((r) => JSON.stringify(r)).join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (res.status !== 0) throw new Error(`Kryo oracle failed (exit ${String(res.status)}): ${res.stderr}`);
  const lines = res.stdout.split('\n').filter((l) => l.length > 0);
  if (lines[0] !== '{"ready":true}') throw new Error(`Kryo oracle did not start: ${res.stdout.slice(0, 200)} ${res.stderr}`);
  const answers = lines.slice(1).map((l) => JSON.parse(l) as OracleAnswer);
  if (answers.length !== requests.length) throw new Error(`Kryo oracle answered ${answers.length} of ${requests.length} requests`);
  return answers;
}

// ---- typed-value builders for test tables ----
export const tv = (t: string, v: unknown): TV => ({ t, v });
export const I = (n: number): TV => tv('Integer', n);
export const L = (n: number | bigint | string): TV => tv('Long', String(n));
export const D = (x: number): TV => tv('Double', javaDouble(x));
export const S = (s: string): TV => tv('String', s);
export const list = (t: string, ...items: TV[]): TV => tv(t, items);
export const map = (t: string, ...entries: [TV, TV][]): TV => tv(t, entries);

/** A decimal string Java's Double.parseDouble turns into exactly `x` (JS shortest form; -0 spelled out). */
export function javaDouble(x: number): string {
  return Object.is(x, -0) ? '-0.0' : String(x);
}

const LIST_TYPES = new Set([
  'ArrayList', 'LinkedList', 'HashSet', 'LinkedHashSet', 'Arrays$ArrayList', 'ImmutableCollections$ListN',
  'ImmutableCollections$List12', 'ImmutableCollections$SetN',
]);
const MAP_TYPES = new Set(['HashMap', 'LinkedHashMap', 'ImmutableCollections$Map1', 'ImmutableCollections$MapN']);

/** The JS value our reader must return for a Java object described by the oracle (the documented read mapping). */
export function expectedJs(x: TV): unknown {
  if (x === null) return null;
  const { t, v } = x;
  switch (t) {
    case 'Integer': case 'Short': case 'Byte': return v as number;
    case 'Long': {
      const b = BigInt(v as string);
      return b >= -BigInt(Number.MAX_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
    }
    case 'Double': return Number(v);
    case 'Float': return Math.fround(Number(v));
    case 'Character': case 'String': case 'BigDecimal': case 'Utf8': case 'Boolean': return v;
    case 'byte[]': case 'HeapByteBuffer': return Buffer.from(v as string, 'base64');
  }
  if (t.startsWith('Collections$')) return expectedJs(v as TV);
  if (MAP_TYPES.has(t)) {
    const out: Record<string, unknown> = {};
    for (const [k, val] of v as [TV, TV][]) {
      Object.defineProperty(out, expectedJs(k) as string, { value: expectedJs(val), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (LIST_TYPES.has(t) || t.endsWith('[]')) return (v as TV[]).map(expectedJs);
  throw new Error(`no JS mapping for oracle type ${t}`);
}

/** The Java object (as a TV) our writer maps a JS value to (the documented write mapping). */
export function javaTvOf(js: unknown): TV {
  const id = kryoClassOf(js);
  switch (id) {
    case -1: return null;
    case KryoId.STRING: return S(js as string);
    case KryoId.BOOLEAN: return tv('Boolean', js);
    case KryoId.INTEGER: return I(js as number);
    case KryoId.LONG: return L(js as number | bigint);
    case KryoId.DOUBLE: return D(js as number);
    case KryoId.BYTE_ARRAY: return tv('byte[]', Buffer.from(js as Uint8Array).toString('base64'));
    case KryoId.ARRAY_LIST: return tv('ArrayList', Array.from(js as unknown[], javaTvOf));
    case KryoId.LINKED_HASH_MAP: {
      const entries = js instanceof Map ? [...(js as Map<string, unknown>)] : Object.entries(js as object);
      return tv('LinkedHashMap', entries.map(([k, v]) => [S(k), javaTvOf(v)]));
    }
    default: throw new Error(`no Java mapping for class id ${id}`);
  }
}

/** A TV with floating-point values in canonical JS form, so Java's and JS's spellings of one double compare equal. */
export function normTv(x: TV): TV {
  if (x === null) return null;
  const { t, v } = x;
  if (t === 'Double' || t === 'Float') return { t, v: canon(Number(v)) };
  if (Array.isArray(v)) return { t, v: v.map((e) => (Array.isArray(e) ? e.map((p) => normTv(p as TV)) : normTv(e as TV))) };
  if (v !== null && typeof v === 'object') return { t, v: normTv(v as TV) };
  return x;
}

