// Shared pieces of the envelope tests: an honest in-process KEK (AES-256-GCM honouring associated data)
// that counts its calls, a store that records the order of writes, and envelope parsing helpers.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Kryptonite, type KryptoniteDependencies } from '../../src/engine';
import type { KryptoniteOptions } from '../../src/config/options';
import { CryptoError } from '../../src/errors';
import type { KeyEncryptionKey } from '../../src/keys/ports';
import { MemoryEdekStore } from '../../src/envelope';
import { KEYSET_A, KEYSET_B } from '../keyset/fixtures';

export class CountingKek implements KeyEncryptionKey {
  readonly key = randomBytes(32);
  encrypts = 0;
  decrypts = 0;
  /** Milliseconds each call takes, to make concurrent requests overlap. */
  delayMs = 0;
  /** The AAD of every call, as text. */
  readonly aads: string[] = [];

  async encrypt(plaintext: Uint8Array, aad: Uint8Array): Promise<Buffer> {
    this.encrypts++;
    this.aads.push(Buffer.from(aad).toString('utf8'));
    await sleep(this.delayMs);
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(aad);
    const ct = Buffer.concat([c.update(plaintext), c.final()]);
    return Buffer.concat([Buffer.from([0x0a]), iv, ct, c.getAuthTag()]);
  }

  async decrypt(ciphertext: Uint8Array, aad: Uint8Array): Promise<Buffer> {
    this.decrypts++;
    this.aads.push(Buffer.from(aad).toString('utf8'));
    await sleep(this.delayMs);
    const b = Buffer.from(ciphertext);
    const d = createDecipheriv('aes-256-gcm', this.key, b.subarray(1, 13));
    d.setAAD(aad);
    d.setAuthTag(b.subarray(b.length - 16));
    try {
      return Buffer.concat([d.update(b.subarray(13, b.length - 16)), d.final()]);
    } catch {
      throw new CryptoError('KMS_DECRYPT_FAILED', 'fake KEK: unwrap failed');
    }
  }
}

/** Records the order in which DEKs were stored, so tests can check "published before first use". */
export class RecordingStore extends MemoryEdekStore {
  readonly puts: string[] = [];
  gets = 0;
  override async put(fp: Buffer, wrapped: Buffer): Promise<void> {
    await super.put(fp, wrapped);
    this.puts.push(fp.toString('hex'));
  }
  override async get(fp: Buffer): Promise<Buffer | undefined> {
    this.gets++;
    return super.get(fp);
  }
}

export const sleep = (ms: number): Promise<void> => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

export const KEKS_JSON = [
  { identifier: 'kek-1', kek_type: 'AWS', kek_uri: 'aws-kms://arn:aws:kms:us-east-1:000000000000:key/one', kek_config: '{}' },
  { identifier: 'kek-2', kek_type: 'GCP', kek_uri: 'gcp-kms://projects/p/locations/l/keyRings/r/cryptoKeys/k', kek_config: '{}' },
];

export interface Harness {
  k: Kryptonite;
  keks: Map<string, CountingKek>;
  store: RecordingStore;
  clock: { now: number };
}

/** An engine with keysets keyA/keyB (for 05), two fake KEKs (for 06), a memory store and a manual clock. */
export async function harness(options: KryptoniteOptions = {}, shared?: Partial<Harness>, deps: KryptoniteDependencies = {}): Promise<Harness> {
  const keks = shared?.keks ?? new Map<string, CountingKek>();
  const store = shared?.store ?? new RecordingStore();
  const clock = shared?.clock ?? { now: 1_700_000_000_000 };
  const k = await Kryptonite.create({
    cipher_data_keys: [{ identifier: 'keyA', material: KEYSET_A }, { identifier: 'keyB', material: KEYSET_B }],
    cipher_data_key_identifier: 'keyB',
    envelope_kek_configs: KEKS_JSON,
    ...options,
  }, {
    ...deps,
    envelope: {
      edekStore: store,
      now: () => clock.now,
      createKek: (entry) => {
        let kek = keks.get(entry.identifier);
        if (kek === undefined) keks.set(entry.identifier, (kek = new CountingKek()));
        return kek;
      },
      ...deps.envelope,
    },
  });
  return { k, keks, store, clock };
}

export interface Parsed { serde: string; alg: string; keyId: string; c: Buffer }

export function parse(field: unknown): Parsed {
  if (typeof field !== 'string') throw new Error(`not a ciphertext: ${typeof field}`);
  const b = Buffer.from(field, 'base64');
  const n = b[6] as number;
  return { serde: b.toString('latin1', 2, 4), alg: b.toString('latin1', 4, 6), keyId: b.toString('utf8', 7, 7 + n), c: b.subarray(7 + n) };
}

/** 05: the wrapped DEK carried inline; 06: the fingerprint. Records sharing it share a DEK session. */
export function dekTag(field: unknown): string {
  const p = parse(field);
  if (p.alg === '05') return p.c.subarray(4, 4 + p.c.readInt32BE(0)).toString('hex');
  return p.c.subarray(0, 16).toString('hex');
}
