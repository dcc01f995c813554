// Field level: one value through the engine's public API (serde, envelope, cipher, Base64) beside the raw
// primitive on the same bytes and key, and beside Confluent's field encryption on a one-field record.
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import type { Kryptonite } from '../src/engine';
import type { FieldConfig } from '../src/config/types';
import { consume, measure, type Contender } from './lib/measure';
import { compare, type Row } from './lib/report';
import { asciiValue, benchEngine, benchKeys, digitsValue, rawKey, type BenchKeys } from './lib/fixtures';
import { confluentFieldSerde, confluentTink } from './lib/confluent';
import { FF3Cipher, nobleAessiv } from './lib/baselines';

const SIZES = [16, 256, 4096];
const UNIT = 'fields/s';
const GCM: FieldConfig = { name: 'f', algorithm: 'TINK/AES_GCM', keyId: 'gcm' };
const SIV: FieldConfig = { name: 'f', algorithm: 'TINK/AES_GCM_SIV', keyId: 'siv' };
const FPE: FieldConfig = { name: 'f', algorithm: 'CUSTOM/MYSTO_FPE_FF3_1', keyId: 'fpe', fpeAlphabetType: 'DIGITS' };

interface Engines { KRYO: Kryptonite; AVRO: Kryptonite }

function ours(engines: Engines, field: FieldConfig, value: string, direction: 'enc' | 'dec', cts: Record<string, string>): Contender[] {
  return (['KRYO', 'AVRO'] as const).map((serde) => {
    const k = engines[serde];
    const ct = cts[serde] as string;
    return direction === 'enc'
      ? { name: serde, async: true, op: () => k.encryptValue(value, field) }
      : { name: serde, async: true, op: () => k.decryptValue(ct, field) };
  });
}

async function gcmRows(engines: Engines, keys: BenchKeys): Promise<Row[]> {
  const key = createSecretKey(rawKey(keys.gcm));
  const rows: Row[] = [];
  for (const size of SIZES) {
    const value = asciiValue(size);
    const pt = Buffer.from(value, 'latin1');
    const cts = { KRYO: await engines.KRYO.encryptValue(value, GCM) as string, AVRO: await engines.AVRO.encryptValue(value, GCM) as string };
    // What a user would write with node:crypto alone: a random IV and a new cipher for every value.
    const nodeEncrypt = (): Buffer => {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = c.update(pt);
      c.final();
      return Buffer.concat([iv, body, c.getAuthTag()]);
    };
    const sealed = nodeEncrypt();
    const nodeDecrypt = (): Buffer => {
      const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(sealed.length - 16));
      const body = d.update(sealed.subarray(12, sealed.length - 16));
      d.final();
      return body;
    };
    for (const dir of ['enc', 'dec'] as const) {
      const raw: Contender = { name: 'node', op: dir === 'enc' ? nodeEncrypt : nodeDecrypt };
      const [kryo, avro, node] = await measure([...ours(engines, GCM, value, dir, cts), raw]);
      const label = dir === 'enc' ? 'encrypt' : 'decrypt';
      const base = `node:crypto aes-256-gcm ${label}, new cipher per call`;
      rows.push(compare('field AES_GCM', `KRYO ${label} ${size} B`, UNIT, kryo!, base, node!,
        dir === 'enc' && size <= 256 ? `gcm_vs_node_${size}` : dir === 'dec' && size <= 256 ? `gcm_dec_vs_node_${size}` : undefined,
        dir === 'enc' && size <= 256 ? 0.8 : undefined));
      rows.push(compare('field AES_GCM', `AVRO ${label} ${size} B`, UNIT, avro!, base, node!));
    }
  }
  return rows;
}

async function sivRows(engines: Engines, keys: BenchKeys): Promise<Row[]> {
  const key = rawKey(keys.siv);
  const aessiv = await nobleAessiv();
  const rows: Row[] = [];
  for (const size of SIZES) {
    const value = asciiValue(size);
    const pt = Buffer.from(value, 'latin1');
    // Same associated data as ours (the k2 header's "k2" ‖ "03" ‖ key id), one aessiv instance per call as its docs show.
    const ad = Buffer.from('k203siv');
    const cts = { KRYO: await engines.KRYO.encryptValue(value, SIV) as string, AVRO: await engines.AVRO.encryptValue(value, SIV) as string };
    const sealed = aessiv(key, ad).encrypt(pt);
    for (const dir of ['enc', 'dec'] as const) {
      const noble: Contender = { name: 'noble', op: dir === 'enc' ? () => aessiv(key, ad).encrypt(pt) : () => aessiv(key, ad).decrypt(sealed) };
      const [kryo, avro, base] = await measure([...ours(engines, SIV, value, dir, cts), noble]);
      const label = dir === 'enc' ? 'encrypt' : 'decrypt';
      const name = `@noble/ciphers aessiv ${label}`;
      rows.push(compare('field AES_GCM_SIV', `KRYO ${label} ${size} B`, UNIT, kryo!, name, base!,
        dir === 'enc' && size <= 256 ? `siv_vs_noble_${size}` : dir === 'dec' && size <= 256 ? `siv_dec_vs_noble_${size}` : undefined,
        dir === 'enc' && size <= 256 ? 2 : undefined));
      rows.push(compare('field AES_GCM_SIV', `AVRO ${label} ${size} B`, UNIT, avro!, name, base!));
    }
  }
  return rows;
}

async function fpeRows(engines: Engines, keys: BenchKeys): Promise<Row[]> {
  const key = rawKey(keys.fpe);
  // Kryptonite's tweak is the UTF-8 text '0000000' by default; the ff3 package takes it as hex.
  const ff3 = new FF3Cipher(key.toString('hex'), Buffer.from('0000000').toString('hex'), 10);
  const rows: Row[] = [];
  // FF3-1 at radix 10 takes 6..56 digits, so the larger sizes do not apply.
  for (const size of [16, 56]) {
    const value = digitsValue(size);
    const ct = await engines.KRYO.encryptValue(value, FPE) as string;
    const theirsCt = ff3.encrypt(value);
    if (theirsCt !== ct) throw new Error(`FF3-1 outputs differ between the engine and the ff3 package at ${size} digits`);
    for (const dir of ['enc', 'dec'] as const) {
      const [mine, base] = await measure([
        { name: 'ours', async: true, op: dir === 'enc' ? () => engines.KRYO.encryptValue(value, FPE) : () => engines.KRYO.decryptValue(ct, FPE) },
        { name: 'ff3', op: dir === 'enc' ? () => ff3.encrypt(value) : () => ff3.decrypt(ct) },
      ]);
      const label = dir === 'enc' ? 'encrypt' : 'decrypt';
      rows.push(compare('field FF3-1', `${label} ${size} digits`, UNIT, mine!, `npm ff3 ${label}, radix 10`, base!,
        `ff3_${dir}_vs_npm_${size}`));
    }
  }
  return rows;
}

/** One-field records `{ f }`, object in → wire bytes out (and back): the engine plus JSON text vs Confluent's JSON serde. */
async function confluentRows(engines: Engines, keys: BenchKeys): Promise<Row[]> {
  const rows: Row[] = [];
  const k = engines.KRYO;
  for (const [dek, field, alg] of [['AES256_GCM', GCM, 'gcm'], ['AES256_SIV', SIV, 'siv']] as const) {
    const serde = await confluentFieldSerde(dek);
    const tink = await confluentTink(alg, rawKey(alg === 'gcm' ? keys.gcm : keys.siv));
    const fields = [field];
    for (const size of [16, 256]) {
      const value = asciiValue(size);
      const record = { f: value };
      const oursBytes = Buffer.from(JSON.stringify(await k.encryptRecord(record, fields)));
      const theirsBytes = await serde.serialize({ ...record });
      const back = await serde.deserialize(theirsBytes);
      if (back.f !== value) throw new Error(`Confluent ${dek} round trip failed`);
      for (const dir of ['enc', 'dec'] as const) {
        const [mine, theirs] = await measure(dir === 'enc' ? [
          // Confluent's serializer encrypts the object in place, so both get a new one per call.
          { name: 'ours', async: true, op: async () => Buffer.from(JSON.stringify(await k.encryptRecord({ f: value }, fields))) },
          { name: 'confluent', async: true, op: () => serde.serialize({ f: value }) },
        ] : [
          { name: 'ours', async: true, op: () => k.decryptRecord(JSON.parse(oursBytes.toString()) as Record<string, unknown>, fields) },
          { name: 'confluent', async: true, op: () => serde.deserialize(theirsBytes) },
        ]);
        const label = dir === 'enc' ? 'encrypt' : 'decrypt';
        const section = `vs Confluent ${alg === 'gcm' ? 'AES_GCM' : 'AES_GCM_SIV'}`;
        rows.push(compare(section, `record {f} ${label} ${size} B`, UNIT, mine!,
          `Confluent JsonSerializer ${dek} DEK, local KMS, mock registry`, theirs!,
          size === 256 ? `${alg}_${dir === 'enc' ? '' : 'dec_'}vs_confluent_256` : undefined, dir === 'enc' && size === 256 ? 5 : undefined));
      }
      if (size === 256) {
        // The bundled Tink class alone (no serde, no DEK lookup) on the same raw key, for scale.
        const pt = Buffer.from(value, 'latin1');
        const [mine, theirs] = await measure([
          { name: 'ours', async: true, op: () => k.encryptValue(value, field) },
          { name: 'tink', async: true, op: () => tink.encrypt(pt, new Uint8Array(0)) },
        ]);
        rows.push(compare(`vs Confluent ${alg === 'gcm' ? 'AES_GCM' : 'AES_GCM_SIV'}`, `KRYO encrypt ${size} B`, UNIT, mine!,
          `Confluent's bundled Tink ${alg === 'gcm' ? 'AesGcm' : 'AesSiv'}.encrypt alone`, theirs!));
      }
    }
  }
  return rows;
}

export async function fieldBench(log: (s: string) => void = () => undefined): Promise<Row[]> {
  const keys = benchKeys();
  const engines: Engines = { KRYO: await benchEngine(keys, 'KRYO'), AVRO: await benchEngine(keys, 'AVRO') };
  try {
    const rows: Row[] = [];
    log('field: AES_GCM'); rows.push(...await gcmRows(engines, keys));
    log('field: AES_GCM_SIV'); rows.push(...await sivRows(engines, keys));
    log('field: FF3-1'); rows.push(...await fpeRows(engines, keys));
    log('field: Confluent'); rows.push(...await confluentRows(engines, keys));
    consume(rows);
    return rows;
  } finally {
    await engines.KRYO.close();
    await engines.AVRO.close();
  }
}
