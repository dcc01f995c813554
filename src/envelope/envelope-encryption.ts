// Algorithms 05 and 06 on top of DEK sessions: encrypt with the current session's DEK, decrypt by
// unwrapping (05: inline wrapped DEK with the keyset; 06: fingerprint → EDEK store → cloud KMS) with a
// bounded cache of unwrapped DEKs. Separate session and DEK caches per algorithm, so one string used as a
// keyset id and as a KEK id never shares a DEK across the two (Kryptonite 0.7.0 shares one cache).
import { randomBytes } from 'node:crypto';
import { AesGcm, AES_GCM_IV_SIZE, AES_GCM_TAG_SIZE } from '../cipher/aes-gcm';
import type { Aead } from '../cipher/primitive';
import { CryptoError, KeyNotFoundError, KmsError, KryptoniteError } from '../errors';
import type { KeyEncryptionKey } from '../keys/ports';
import { PendingLoad } from '../field/field-cipher';
import { DekSessionCache, WalkScope, type DekMaterial, type SessionLimits } from './dek-sessions';
import { FINGERPRINT_SIZE, fingerprintOf, type EdekStore } from './edek-store';
import { LruCache } from './lru-cache';

/** What the field cipher calls for algorithms 05 and 06; synchronous, may throw PendingLoad. */
export interface EnvelopeCiphers {
  encryptWithKeyset(keyId: string, kek: Aead, plaintext: Uint8Array, associatedData: Uint8Array): Buffer;
  decryptWithKeyset(keyId: string, kek: Aead, ciphertext: Uint8Array, associatedData: Uint8Array): Buffer;
  encryptWithKms(keyId: string, plaintext: Uint8Array, associatedData: Uint8Array): Buffer;
  decryptWithKms(keyId: string, ciphertext: Uint8Array, associatedData: Uint8Array): Buffer;
}

export interface EnvelopeOptions extends SessionLimits {
  readonly dekBytes: 16 | 32;
  readonly cacheSize: number;
  /** KEK identifier → envelope KEK (algorithm 06); empty when envelope_kek_configs is not set. */
  readonly keks: ReadonlyMap<string, KeyEncryptionKey>;
  readonly store: EdekStore | undefined;
}

export interface EnvelopeStats {
  readonly keysetSessions: number;
  readonly kmsSessions: number;
  readonly kmsWraps: number;
  readonly kmsUnwraps: number;
}

const MIN_GCM = AES_GCM_IV_SIZE + AES_GCM_TAG_SIZE;

export class EnvelopeEncryption implements EnvelopeCiphers {
  private readonly keysetSessions: DekSessionCache;
  private readonly kmsSessions: DekSessionCache;
  private readonly keysetDeks: LruCache<string, AesGcm>;
  private readonly kmsDeks: LruCache<string, AesGcm>;
  private readonly unwrapping = new Map<string, Promise<void>>();
  private scope: WalkScope | undefined;
  private wraps = 0;
  private unwraps = 0;

  constructor(private readonly o: EnvelopeOptions) {
    this.keysetSessions = new DekSessionCache('TINK/AES_GCM_ENVELOPE_KEYSET', o);
    this.kmsSessions = new DekSessionCache('TINK/AES_GCM_ENVELOPE_KMS', o);
    this.keysetDeks = new LruCache(o.cacheSize);
    this.kmsDeks = new LruCache(o.cacheSize);
  }

  /** Called by the engine around each synchronous walk attempt. */
  enter(scope: WalkScope): void { this.scope = scope; }
  leave(committed: boolean): void {
    if (!committed) this.scope?.rollback();
    this.scope = undefined;
  }

  stats(): EnvelopeStats {
    return { keysetSessions: this.keysetSessions.created, kmsSessions: this.kmsSessions.created, kmsWraps: this.wraps, kmsUnwraps: this.unwraps };
  }

  encryptWithKeyset(keyId: string, kek: Aead, plaintext: Uint8Array, associatedData: Uint8Array): Buffer {
    const s = this.keysetSessions.acquire(keyId, this.scope, kek, () => this.newKeysetSession(keyId, kek));
    return s.aead.encryptWithPrefix(s.prefix, plaintext, associatedData);
  }

  decryptWithKeyset(keyId: string, kek: Aead, ciphertext: Uint8Array, associatedData: Uint8Array): Buffer {
    const buf = Buffer.from(ciphertext.buffer, ciphertext.byteOffset, ciphertext.length);
    const len = buf.length >= 4 ? buf.readInt32BE(0) : -1;
    if (len < 0 || 4 + len + MIN_GCM > buf.length) {
      throw new CryptoError('DECRYPTION_FAILED', `envelope ciphertext for key id '${keyId}' is truncated or its wrapped-DEK length is invalid`);
    }
    const wrapped = buf.subarray(4, 4 + len);
    const cacheKey = `${keyId}\u0000${wrapped.toString('latin1')}`;
    let dek = this.keysetDeks.get(cacheKey);
    if (dek === undefined) {
      const raw = kek.decrypt(wrapped, Buffer.from(keyId, 'utf8'));
      dek = toDek(raw, `the DEK unwrapped with keyset '${keyId}'`);
      this.keysetDeks.set(cacheKey, dek);
    }
    return dek.decrypt(buf.subarray(4 + len), associatedData);
  }

  encryptWithKms(keyId: string, plaintext: Uint8Array, associatedData: Uint8Array): Buffer {
    const kek = this.kek(keyId, 'encryption');
    const s = this.kmsSessions.acquire(keyId, this.scope, undefined, undefined, () => this.newKmsSession(keyId, kek));
    return s.aead.encryptWithPrefix(s.prefix, plaintext, associatedData);
  }

  decryptWithKms(keyId: string, ciphertext: Uint8Array, associatedData: Uint8Array): Buffer {
    if (ciphertext.length < FINGERPRINT_SIZE + MIN_GCM) {
      throw new CryptoError('DECRYPTION_FAILED', `envelope ciphertext for KEK '${keyId}' is truncated (${ciphertext.length} bytes)`);
    }
    const fp = Buffer.from(ciphertext.buffer, ciphertext.byteOffset, FINGERPRINT_SIZE);
    const cacheKey = `${keyId}\u0000${fp.toString('latin1')}`;
    const dek = this.scope?.pins.get(cacheKey) ?? this.kmsDeks.get(cacheKey);
    if (dek === undefined) {
      const kek = this.kek(keyId, 'decryption');
      const scope = this.scope;
      throw new PendingLoad(`DEK ${fp.toString('hex')} of KEK '${keyId}'`, () => this.unwrapOnce(cacheKey, keyId, kek, Buffer.from(fp), scope));
    }
    return dek.decrypt(ciphertext.subarray(FINGERPRINT_SIZE), associatedData);
  }

  private newKeysetSession(keyId: string, kek: Aead): DekMaterial {
    const dek = randomBytes(this.o.dekBytes);
    try {
      const wrapped = kek.encrypt(dek, Buffer.from(keyId, 'utf8'));
      const prefix = Buffer.allocUnsafe(4 + wrapped.length);
      prefix.writeInt32BE(wrapped.length, 0);
      wrapped.copy(prefix, 4);
      const aead = new AesGcm(dek);
      this.keysetDeks.set(`${keyId}\u0000${wrapped.toString('latin1')}`, aead);
      return { aead, prefix, wrappedBy: kek };
    } finally {
      dek.fill(0);
    }
  }

  private async newKmsSession(keyId: string, kek: KeyEncryptionKey): Promise<DekMaterial> {
    const store = this.requireStore(keyId, 'encryption');
    const dek = randomBytes(this.o.dekBytes);
    try {
      let wrapped: Buffer;
      try {
        this.wraps++;
        wrapped = await kek.encrypt(dek, Buffer.from(keyId, 'utf8'));
        const fp = fingerprintOf(wrapped);
        // Published before first use: a consumer must be able to find every DEK a record refers to.
        await store.put(fp, wrapped);
        const aead = new AesGcm(dek);
        this.kmsDeks.set(`${keyId}\u0000${fp.toString('latin1')}`, aead);
        return { aead, prefix: fp };
      } catch (err) {
        throw wrapFailure(err, `failed to create DEK session for KMS KEK envelope encryption for keyId='${keyId}'`);
      }
    } finally {
      dek.fill(0);
    }
  }

  private unwrapOnce(cacheKey: string, keyId: string, kek: KeyEncryptionKey, fp: Buffer, scope: WalkScope | undefined): Promise<void> {
    let p = this.unwrapping.get(cacheKey);
    if (p === undefined) {
      p = this.unwrap(cacheKey, keyId, kek, fp).finally(() => { this.unwrapping.delete(cacheKey); });
      this.unwrapping.set(cacheKey, p);
    }
    return p.then(() => {
      const dek = this.kmsDeks.get(cacheKey);
      if (dek !== undefined) scope?.pins.set(cacheKey, dek);
    });
  }

  private async unwrap(cacheKey: string, keyId: string, kek: KeyEncryptionKey, fp: Buffer): Promise<void> {
    const store = this.requireStore(keyId, 'decryption');
    const hex = fp.toString('hex');
    const wrapped = await store.get(fp);
    if (wrapped === undefined) {
      throw new KeyNotFoundError('EDEK_NOT_FOUND', `EDEK not found for fingerprint ${hex} in ${store.describe()} — the wrapped DEK may not yet `
        + `have been replicated to this instance's EdekStore, or the EDEK topic may have been corrupted; keyId='${keyId}'`, { retriable: true });
    }
    if (!fingerprintOf(wrapped).equals(fp)) {
      throw new CryptoError('EDEK_CORRUPTED', `the entry for fingerprint ${hex} in ${store.describe()} does not hash to its fingerprint`);
    }
    let raw: Buffer;
    try {
      this.unwraps++;
      raw = await kek.decrypt(wrapped, Buffer.from(keyId, 'utf8'));
    } catch (err) {
      throw wrapFailure(err, `failed to unwrap DEK ${hex} with envelope KEK '${keyId}'`);
    }
    this.kmsDeks.set(cacheKey, toDek(raw, `the DEK unwrapped with KEK '${keyId}'`));
  }

  private kek(keyId: string, what: 'encryption' | 'decryption'): KeyEncryptionKey {
    if (this.o.keks.size === 0) {
      throw new KeyNotFoundError('ENVELOPE_NOT_CONFIGURED', `KMS KEK envelope ${what} requested but envelope_kek_configs is not configured`);
    }
    const kek = this.o.keks.get(keyId);
    if (kek === undefined) throw new KeyNotFoundError('KEK_NOT_FOUND', `no envelope KEK found for identifier '${keyId}' - check envelope_kek_configs`);
    return kek;
  }

  private requireStore(keyId: string, what: string): EdekStore {
    if (this.o.store === undefined) {
      throw new KeyNotFoundError('ENVELOPE_NOT_CONFIGURED', `KMS KEK envelope ${what} for '${keyId}' requested but no EdekStore is configured (edek_store_config)`);
    }
    return this.o.store;
  }
}

function toDek(raw: Buffer, what: string): AesGcm {
  try {
    if (raw.length !== 16 && raw.length !== 32) throw new CryptoError('INVALID_DEK', `${what} is ${raw.length} bytes, not 16 or 32`);
    return new AesGcm(raw);
  } finally {
    raw.fill(0);
  }
}

function wrapFailure(err: unknown, message: string): KryptoniteError {
  if (err instanceof KryptoniteError) {
    const Ctor = err.constructor as new (code: string, m: string, o: object) => KryptoniteError;
    return new Ctor(err.code, `${message}: ${err.message}`, { retriable: err.retriable, cause: err });
  }
  return new KmsError('KMS_ERROR', message, { retriable: true, cause: err });
}
