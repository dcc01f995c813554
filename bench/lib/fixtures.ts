// Keys, engines and sample data shared by the benches: fresh random keysets (never the test fixtures), a
// Kryptonite engine per serde, deterministic field values and 1 KB JSON records with three secret fields.
import { Kryptonite } from '../../src/engine';
import { generateKeyset } from '../../src/keyset/generate';
import type { Keyset } from '../../src/keyset/keyset';
import type { SerdeType } from '../../src/config/types';

export interface BenchKeys {
  gcm: Keyset;
  siv: Keyset;
  fpe: Keyset;
}

export function benchKeys(): BenchKeys {
  return {
    gcm: generateKeyset({ algorithm: 'AES_GCM', keySizeBits: 256 }),
    siv: generateKeyset({ algorithm: 'AES_GCM_SIV' }),
    fpe: generateKeyset({ algorithm: 'FPE_FF31', keySizeBits: 256 }),
  };
}

/** The primary key's raw bytes, for the baselines that must run on the very same key. */
export function rawKey(keyset: Keyset): Buffer {
  return keyset.primaryKey().rawKey();
}

export async function benchEngine(keys: BenchKeys, serdeType: SerdeType = 'KRYO', fieldConfig?: unknown[]): Promise<Kryptonite> {
  return Kryptonite.create({
    cipher_data_keys: [
      { identifier: 'gcm', material: keys.gcm.toTinkJson() as unknown as Record<string, unknown> },
      { identifier: 'siv', material: keys.siv.toTinkJson() as unknown as Record<string, unknown> },
      { identifier: 'fpe', material: keys.fpe.toTinkJson() as unknown as Record<string, unknown> },
    ],
    cipher_data_key_identifier: 'gcm',
    serde_type: serdeType,
    ...(fieldConfig ? { field_config: JSON.stringify(fieldConfig) } : {}),
  });
}

// A small deterministic generator, so every run encrypts the same data.
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** An ASCII string of exactly `size` characters (= `size` UTF-8 bytes). */
export function asciiValue(size: number, seed = size): string {
  const r = lcg(seed);
  let s = '';
  for (let i = 0; i < size; i++) s += ALNUM[Math.floor(r() * ALNUM.length)];
  return s;
}

export function digitsValue(size: number, seed = size): string {
  const r = lcg(seed);
  let s = '';
  for (let i = 0; i < size; i++) s += String(Math.floor(r() * 10));
  return s;
}

/** The three fields the record benches encrypt. */
export const RECORD_FIELDS = [{ name: 'customer.email' }, { name: 'card' }, { name: 'customer.ssn' }];

/** A JSON record of about 1 KB (1000..1030 bytes of UTF-8) with three secret fields among ordinary ones. */
export function record1k(i: number): Record<string, unknown> {
  const base = {
    id: i,
    createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    customer: {
      name: `Customer ${i}`,
      email: `customer${i}@example.com`,
      ssn: `${String(100 + (i % 900))}-${String(10 + (i % 90))}-${String(1000 + (i % 9000))}`,
      tier: i % 3 === 0 ? 'gold' : 'standard',
    },
    card: `4000-1234-${String(1000 + (i % 9000))}-${String(1000 + ((i * 7) % 9000))}`,
    items: [
      { sku: `SKU-${i % 997}`, qty: 1 + (i % 5), price: 19.99 },
      { sku: `SKU-${(i * 3) % 997}`, qty: 2, price: 5.5 },
    ],
    total: Math.round(i * 10.5 * 100) / 100,
    notes: '',
  };
  const size = Buffer.byteLength(JSON.stringify(base));
  base.notes = asciiValue(Math.max(0, 1010 - size), i + 1);
  return base;
}
