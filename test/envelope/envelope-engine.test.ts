// Algorithms 05 and 06 through the engine with in-process KEKs and store: layouts, DEK sessions (count, time,
// records larger than a session), shared KMS calls, the bounded decrypt cache, separate caches per algorithm,
// and the failures a reader can meet.
import { createHash } from 'node:crypto';
import { Kryptonite } from '../../src/engine';
import { KryptoniteError } from '../../src/errors';
import { AesGcm } from '../../src/cipher/aes-gcm';
import { keysetAead } from '../../src/keyset/keyset-aead';
import { parseKeysetMaterial } from '../../src/keyset';
import { KEYSET_B } from '../keyset/fixtures';
import { dekTag, harness, parse, sleep } from './support';

const KEYSET = 'TINK/AES_GCM_ENVELOPE_KEYSET' as const;
const KMS = 'TINK/AES_GCM_ENVELOPE_KMS' as const;
const doc = (i: number) => ({ id: i, name: `name ${i}`, tags: [`t${i}`, 'x'], nested: { secret: `s-${i}`, n: i * 1.5 } });
const fields = (algorithm: typeof KEYSET | typeof KMS, keyId?: string) =>
  ['name', 'tags', 'nested'].map((name) => ({ name, algorithm, ...(keyId ? { keyId } : {}) }));

async function failure(p: Promise<unknown>): Promise<KryptoniteError> {
  try { await p; } catch (err) { expect(err).toBeInstanceOf(KryptoniteError); return err as KryptoniteError; }
  throw new Error('expected a failure');
}

function keyBAead() {
  const m = parseKeysetMaterial(KEYSET_B, { identifier: 'keyB' });
  if (m.kind !== 'plain') throw new Error('keyB must be plain');
  return keysetAead(m.keyset);
}

describe('TINK/AES_GCM_ENVELOPE_KEYSET (05)', () => {
  it('round-trips records; layout is len32 ‖ wrappedDek (keyset AEAD, AAD = key id) ‖ AES-GCM under the DEK (AAD k2‖05‖keyId)', async () => {
    const { k } = await harness();
    const enc = await k.encryptRecord(doc(1), fields(KEYSET));
    expect(enc.id).toBe(1);
    await expect(k.decryptRecord(enc, fields(KEYSET))).resolves.toEqual(doc(1));
    const p = parse(enc.name);
    expect([p.serde, p.alg, p.keyId]).toEqual(['00', '05', 'keyB']);
    const len = p.c.readInt32BE(0);
    expect(len).toBe(5 + 12 + 16 + 16); // TINK prefix + IV + 16-byte DEK + tag
    const wrapped = p.c.subarray(4, 4 + len);
    expect(wrapped.subarray(0, 5).toString('hex')).toBe('013b9aca02');
    const dek = keyBAead().decrypt(wrapped, Buffer.from('keyB'));
    expect(dek.length).toBe(16);
    // the data part opens with the DEK as a RAW AES-GCM key and the k2 associated data
    const plain = new AesGcm(dek).decrypt(p.c.subarray(4 + len), Buffer.from('k205keyB'));
    // Kryo String "name 1": class marker 03, ASCII with the last byte's high bit set
    expect(plain.toString('hex')).toBe(Buffer.concat([Buffer.from([3]), Buffer.from('name '), Buffer.from([0x31 | 0x80])]).toString('hex'));
    // a plain AES_GCM reader of the same field fails: the AAD carries the algorithm id
    expect(() => new AesGcm(dek).decrypt(p.c.subarray(4 + len), Buffer.from('k202keyB'))).toThrow();
  });

  it('dek_key_bits 256 wraps a 32-byte DEK (wrapped length 65)', async () => {
    const { k } = await harness({ dek_key_bits: 256 });
    const p = parse(await k.encryptValue('v', { name: 'f', algorithm: KEYSET }));
    expect(p.c.readInt32BE(0)).toBe(65);
    expect(keyBAead().decrypt(p.c.subarray(4, 69), Buffer.from('keyB')).length).toBe(32);
  });

  it('reuses one DEK per key id until dek_max_encryptions, then wraps a new one; key ids never share', async () => {
    const { k } = await harness({ dek_max_encryptions: 4 });
    const f = { name: 'f', algorithm: KEYSET } as const;
    const tags: string[] = [];
    for (let i = 0; i < 10; i++) tags.push(dekTag(await k.encryptValue(`v${i}`, f)));
    expect(tags.map((t) => tags.indexOf(t))).toEqual([0, 0, 0, 0, 4, 4, 4, 4, 8, 8]);
    const other = dekTag(await k.encryptValue('v', { ...f, keyId: 'keyA' }));
    expect(tags).not.toContain(other);
    expect(k.envelopeStats().keysetSessions).toBe(4);
    expect(k.envelopeStats().kmsWraps).toBe(0);
  });

  it('a new reader decrypts old DEKs (inline) and tampering is detected', async () => {
    const { k } = await harness({ dek_max_encryptions: 2 });
    const values = await Promise.all(Array.from({ length: 7 }, (_, i) => k.encryptValue({ i }, { name: 'f', algorithm: KEYSET, fieldMode: 'OBJECT' })));
    const { k: reader } = await harness();
    for (let i = 0; i < values.length; i++) await expect(reader.decryptValue(values[i], { name: 'f' })).resolves.toEqual({ i });
    const b = Buffer.from(values[0] as string, 'base64');
    b[b.length - 20] = (b[b.length - 20] as number) ^ 1;
    expect((await failure(reader.decryptValue(b.toString('base64'), { name: 'f' }))).code).toBe('DECRYPTION_FAILED');
    const truncated = Buffer.from(values[0] as string, 'base64').subarray(0, 7 + 4 + 4 + 10).toString('base64');
    expect((await failure(reader.decryptValue(truncated, { name: 'f' }))).code).toBe('DECRYPTION_FAILED');
  });
});

describe('TINK/AES_GCM_ENVELOPE_KMS (06)', () => {
  it('round-trips records; fingerprint = SHA-256(wrapped DEK)[0..16), stored before the first ciphertext exists', async () => {
    const { k, store, keks } = await harness({ envelope_kek_identifier: 'kek-1' });
    const enc = await k.encryptRecord(doc(2), fields(KMS));
    await expect(k.decryptRecord(enc, fields(KMS))).resolves.toEqual(doc(2));
    const p = parse(enc.name);
    expect([p.alg, p.keyId]).toEqual(['06', 'kek-1']);
    const fp = p.c.subarray(0, 16);
    expect(store.puts).toEqual([fp.toString('hex')]);
    const wrapped = store.entries.get(fp.toString('hex'))!;
    expect(createHash('sha256').update(wrapped).digest().subarray(0, 16).equals(fp)).toBe(true);
    const kek = keks.get('kek-1')!;
    expect(kek.aads).toEqual(['kek-1']); // the wrap's AAD is the KEK identifier
    const dek = await kek.decrypt(wrapped, Buffer.from('kek-1'));
    expect(new AesGcm(dek).decrypt(p.c.subarray(16), Buffer.from('k206kek-1')).length).toBeGreaterThan(0);
    // the writer cached its own DEK: no KMS unwrap to read back
    expect(kek.decrypts).toBe(1); // only the check above
  });

  it('field keyId picks the KEK; without it envelope_kek_identifier applies (not cipher_data_key_identifier)', async () => {
    const { k } = await harness({ envelope_kek_identifier: 'kek-2', field_config: [{ name: 'a', algorithm: KMS }, { name: 'b', algorithm: KMS, keyId: 'kek-1' }] });
    const enc = await k.encryptRecord({ a: 1, b: 2 });
    expect(parse(enc.a).keyId).toBe('kek-2');
    expect(parse(enc.b).keyId).toBe('kek-1');
    expect(parse(await k.encryptValue('x', { name: 'x', algorithm: KMS })).keyId).toBe('kek-2');
  });

  it('another instance sharing the store decrypts, with one unwrap per DEK; concurrent requests share it', async () => {
    const w = await harness({ envelope_kek_identifier: 'kek-1', dek_max_encryptions: 5 });
    const values: unknown[] = [];
    for (let i = 0; i < 20; i++) values.push(await w.k.encryptValue(`v${i}`, { name: 'f', algorithm: KMS }));
    expect(w.keks.get('kek-1')!.encrypts).toBe(4);
    const r = await harness({}, { store: w.store, keks: w.keks });
    const kek = w.keks.get('kek-1')!;
    kek.delayMs = 20;
    const before = kek.decrypts;
    const out = await Promise.all(values.map((v) => r.k.decryptValue(v, { name: 'f' })));
    expect(out).toEqual(values.map((_, i) => `v${i}`));
    expect(kek.decrypts - before).toBe(4);
    expect(r.k.envelopeStats().kmsUnwraps).toBe(4);
  });

  it('concurrent encryptions at start-up and at rotation share one KMS wrap each', async () => {
    const { k, keks, store } = await harness({ envelope_kek_identifier: 'kek-1', dek_max_encryptions: 100 });
    const kek = () => keks.get('kek-1')!;
    kek().delayMs = 30;
    const out = await Promise.all(Array.from({ length: 250 }, (_, i) => k.encryptValue(i, { name: 'f', algorithm: KMS })));
    expect(new Set(out.map(dekTag)).size).toBeGreaterThanOrEqual(3);
    expect(kek().encrypts).toBe(new Set(out.map(dekTag)).size);
    expect(kek().encrypts).toBeLessThanOrEqual(4);
    expect(store.puts.length).toBe(kek().encrypts);
  });

  it('rotates after dek_ttl_minutes on the injected clock, whichever limit comes first', async () => {
    const { k, clock } = await harness({ envelope_kek_identifier: 'kek-1', dek_ttl_minutes: 10 });
    const f = { name: 'f', algorithm: KMS } as const;
    const a = dekTag(await k.encryptValue(1, f));
    clock.now += 9 * 60_000 + 59_999;
    expect(dekTag(await k.encryptValue(2, f))).toBe(a);
    clock.now += 1;
    const b = dekTag(await k.encryptValue(3, f));
    expect(b).not.toBe(a);
    clock.now += 5 * 60_000;
    expect(dekTag(await k.encryptValue(4, f))).toBe(b);
    // the 05 sessions age on the same clock
    const g = { name: 'g', algorithm: KEYSET } as const;
    const c = dekTag(await k.encryptValue(1, g));
    clock.now += 10 * 60_000;
    expect(dekTag(await k.encryptValue(1, g))).not.toBe(c);
  });

  it('a record with more fields than dek_max_encryptions completes, each DEK used at most that often', async () => {
    const { k, keks } = await harness({ envelope_kek_identifier: 'kek-1', dek_max_encryptions: 1 });
    const rec = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}`, `value ${i}`]));
    const cfg = Object.keys(rec).map((name) => ({ name, algorithm: KMS }));
    const enc = await k.encryptRecord(rec, cfg);
    const tags = Object.values(enc).map(dekTag);
    expect(new Set(tags).size).toBe(6);
    expect(keks.get('kek-1')!.encrypts).toBe(6);
    await expect(k.decryptRecord(enc, cfg)).resolves.toEqual(rec);
    const k2 = (await harness({ dek_max_encryptions: 2 })).k;
    const enc2 = await k2.encryptRecord(rec, Object.keys(rec).map((name) => ({ name, algorithm: KEYSET })));
    expect(Object.values(enc2).map(dekTag).map((t, _, all) => all.indexOf(t))).toEqual([0, 0, 2, 2, 4, 4]);
  });

  it('the decrypt cache holds at most dek_cache_size unwrapped DEKs', async () => {
    const w = await harness({ envelope_kek_identifier: 'kek-1', dek_max_encryptions: 1 });
    const values = [];
    for (let i = 0; i < 3; i++) values.push(await w.k.encryptValue(i, { name: 'f', algorithm: KMS }));
    const r = await harness({ dek_cache_size: 2 }, { store: w.store, keks: w.keks });
    for (const v of values) await r.k.decryptValue(v, { name: 'f' });
    expect(r.k.envelopeStats().kmsUnwraps).toBe(3);
    await r.k.decryptValue(values[2], { name: 'f' });
    await r.k.decryptValue(values[1], { name: 'f' });
    expect(r.k.envelopeStats().kmsUnwraps).toBe(3); // the two youngest are cached
    await r.k.decryptValue(values[0], { name: 'f' });
    expect(r.k.envelopeStats().kmsUnwraps).toBe(4); // the oldest was evicted
    // a record needing more DEKs than the cache holds still decrypts
    const rec = { a: values[0], b: values[1], c: values[2] };
    const small = await harness({ dek_cache_size: 1 }, { store: w.store, keks: w.keks });
    await expect(small.k.decryptRecord(rec, [{ name: 'a' }, { name: 'b' }, { name: 'c' }])).resolves.toEqual({ a: 0, b: 1, c: 2 });
  });

  it('one string as keyset id (05) and KEK id (06) gives each algorithm its own DEK (Kryptonite shares one)', async () => {
    const { keks } = await harness();
    const { KEYSET_A } = await import('../keyset/fixtures');
    const { k, store } = await harness({
      cipher_data_keys: [{ identifier: 'shared', material: KEYSET_A }],
      envelope_kek_configs: [{ identifier: 'shared', type: 'AWS', uri: 'aws-kms://arn:aws:kms:us-east-1:0:key/x', config: {} }],
    }, { keks });
    const rec = await k.encryptRecord({ a: 'x', b: 'y' }, [{ name: 'a', algorithm: KEYSET, keyId: 'shared' }, { name: 'b', algorithm: KMS, keyId: 'shared' }]);
    const a = parse(rec.a);
    const b = parse(rec.b);
    expect([a.alg, b.alg]).toEqual(['05', '06']);
    expect(store.entries.has(b.c.subarray(0, 16).toString('hex'))).toBe(true);
    const dek05 = keyBAeadFor(KEYSET_A).decrypt(a.c.subarray(4, 4 + a.c.readInt32BE(0)), Buffer.from('shared'));
    const dek06 = await keks.get('shared')!.decrypt(store.entries.get(b.c.subarray(0, 16).toString('hex'))!, Buffer.from('shared'));
    expect(dek05.equals(dek06)).toBe(false);
    await expect(k.decryptRecord(rec, [{ name: 'a' }, { name: 'b' }])).resolves.toEqual({ a: 'x', b: 'y' });
  });

  it('100,000 records under default settings: one KMS wrap to write them, one unwrap to read them elsewhere', async () => {
    const w = await harness({ envelope_kek_identifier: 'kek-1' });
    const f = [{ name: 'name', algorithm: KMS }, { name: 'nested', algorithm: KMS }];
    const out: Record<string, unknown>[] = [];
    for (let i = 0; i < 100_000; i++) out.push(await w.k.encryptRecord({ id: i, name: `n${i}`, nested: { s: i } }, f));
    const kek = w.keks.get('kek-1')!;
    // 200,000 fields: default dek_max_encryptions is 100,000 → exactly two sessions
    expect(kek.encrypts).toBe(2);
    const r = await harness({}, { store: w.store, keks: w.keks });
    for (let i = 0; i < out.length; i += 997) await expect(r.k.decryptRecord(out[i]!, f)).resolves.toEqual({ id: i, name: `n${i}`, nested: { s: i } });
    expect(kek.decrypts).toBe(2);
  }, 120_000);
});

describe('failures', () => {
  it('EDEK missing from the store, unknown KEK id, no KEKs configured, no keyset under key_source NONE', async () => {
    const w = await harness({ envelope_kek_identifier: 'kek-1' });
    const v = await w.k.encryptValue('x', { name: 'f', algorithm: KMS });
    const r = await harness();
    const missing = await failure(r.k.decryptValue(v, { name: 'f' }));
    expect(missing.code).toBe('EDEK_NOT_FOUND');
    expect(missing.message).toMatch(/^EDEK not found for fingerprint [0-9a-f]{32} in in-memory EDEK store .*keyId='kek-1'/);
    const p = parse(v);
    const renamed = Buffer.concat([Buffer.from('k20006'), Buffer.from([5]), Buffer.from('kek-9'), p.c]).toString('base64');
    expect((await failure(w.k.decryptValue(renamed, { name: 'f' }))).message).toMatch(/no envelope KEK found for identifier 'kek-9' - check envelope_kek_configs/);
    const plain = await Kryptonite.create({ cipher_data_keys: [{ identifier: 'keyB', material: KEYSET_B }] });
    expect((await failure(plain.decryptValue(v, { name: 'f' }))).message).toMatch(/KMS KEK envelope decryption requested but envelope_kek_configs is not configured/);
    const none = await harness({ key_source: 'NONE', cipher_data_keys: undefined, envelope_kek_identifier: 'kek-1' }, { store: w.store, keks: w.keks });
    await expect(none.k.decryptValue(v, { name: 'f' })).resolves.toBe('x');
    await expect(none.k.encryptValue('y', { name: 'f', algorithm: KMS })).resolves.toMatch(/^azIwMDA2/);
    expect((await failure(none.k.encryptValue('y', { name: 'f', algorithm: KEYSET, keyId: 'keyB' }))).message).toMatch(/key_source is NONE/);
  });

  it('a KMS failure fails the encryption with the KEK named, and the next call retries', async () => {
    const { k, keks } = await harness({ envelope_kek_identifier: 'kek-1' });
    const kek = keks.get('kek-1')!;
    const original = kek.encrypt.bind(kek);
    kek.encrypt = async () => { throw new Error('connection refused'); };
    const err = await failure(k.encryptValue('x', { name: 'f', algorithm: KMS }));
    expect(err.message).toMatch(/failed to create DEK session for KMS KEK envelope encryption for keyId='kek-1'/);
    expect(err.retriable).toBe(true);
    kek.encrypt = original;
    await expect(k.encryptValue('x', { name: 'f', algorithm: KMS })).resolves.toMatch(/^azIwMDA2/);
  });

  it('an EDEK entry that does not hash to its fingerprint is refused', async () => {
    const w = await harness({ envelope_kek_identifier: 'kek-1' });
    const v = await w.k.encryptValue('x', { name: 'f', algorithm: KMS });
    const fp = parse(v).c.subarray(0, 16).toString('hex');
    const r = await harness({}, { keks: w.keks });
    r.store.entries.set(fp, Buffer.concat([w.store.entries.get(fp)!, Buffer.from([0])]));
    expect((await failure(r.k.decryptValue(v, { name: 'f' }))).code).toBe('EDEK_CORRUPTED');
    await sleep(0);
  });
});

function keyBAeadFor(material: object) {
  const m = parseKeysetMaterial(material, { identifier: 'shared' });
  if (m.kind !== 'plain') throw new Error('plain keyset expected');
  return keysetAead(m.keyset);
}
