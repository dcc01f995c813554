// Raw AES-GCM (Tink AesGcmKey semantics): 12-byte random IV, 16-byte tag, output IV ‖ ciphertext ‖ tag.
// Kept lean because it sits on the per-field hot path: one KeyObject per key, one allocation per call.

import { createCipheriv, createDecipheriv, createSecretKey, randomFillSync, type KeyObject } from 'node:crypto';
import { CryptoError } from '../errors';
import type { Aead } from './primitive';

export const AES_GCM_IV_SIZE = 12;
export const AES_GCM_TAG_SIZE = 16;
const EMPTY = Buffer.alloc(0);

// Refilling a pool amortises the cost of asking the CSPRNG for 12 bytes at a time; each byte is handed out once.
const IV_POOL_SIZE = AES_GCM_IV_SIZE * 512;
const ivPool = Buffer.allocUnsafe(IV_POOL_SIZE);
let ivPoolOffset = IV_POOL_SIZE;

function nextIv(out: Buffer, at: number): void {
  if (ivPoolOffset === IV_POOL_SIZE) {
    randomFillSync(ivPool);
    ivPoolOffset = 0;
  }
  ivPool.copy(out, at, ivPoolOffset, ivPoolOffset + AES_GCM_IV_SIZE);
  ivPoolOffset += AES_GCM_IV_SIZE;
}

function decryptionFailed(): CryptoError {
  return new CryptoError('DECRYPTION_FAILED', 'AES-GCM decryption failed: ciphertext or associated data is invalid', { retriable: false });
}

// Lets the module-level test hook reach the private sealing step; assigned by the class's static block.
let sealWithIv: (gcm: AesGcm, out: Buffer, ivAt: number, plaintext: Uint8Array, associatedData: Uint8Array) => void;

export class AesGcm implements Aead {
  readonly #key: KeyObject;
  readonly #algorithm: 'aes-128-gcm' | 'aes-256-gcm';

  constructor(key: Uint8Array) {
    if (key.length !== 16 && key.length !== 32) {
      throw new CryptoError('INVALID_KEY', `AES-GCM key must be 16 or 32 bytes, got ${key.length}`, { retriable: false });
    }
    this.#algorithm = key.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm';
    this.#key = createSecretKey(key);
  }

  encrypt(plaintext: Uint8Array, associatedData: Uint8Array): Buffer {
    return this.encryptWithPrefix(EMPTY, plaintext, associatedData);
  }

  /** Writes `prefix ‖ IV ‖ ct ‖ tag` in one buffer, so keyset wrappers avoid a second concatenation. */
  encryptWithPrefix(prefix: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Buffer {
    const out = Buffer.allocUnsafe(prefix.length + AES_GCM_IV_SIZE + plaintext.length + AES_GCM_TAG_SIZE);
    if (prefix.length > 0) out.set(prefix, 0);
    nextIv(out, prefix.length);
    this.#seal(out, prefix.length, plaintext, associatedData);
    return out;
  }

  decrypt(ciphertext: Uint8Array, associatedData: Uint8Array): Buffer {
    const ctLength = ciphertext.length - AES_GCM_IV_SIZE - AES_GCM_TAG_SIZE;
    if (ctLength < 0) throw decryptionFailed();
    const decipher = createDecipheriv(this.#algorithm, this.#key, ciphertext.subarray(0, AES_GCM_IV_SIZE), { authTagLength: AES_GCM_TAG_SIZE });
    decipher.setAuthTag(ciphertext.subarray(ciphertext.length - AES_GCM_TAG_SIZE));
    if (associatedData.length > 0) decipher.setAAD(associatedData);
    const body = decipher.update(ciphertext.subarray(AES_GCM_IV_SIZE, AES_GCM_IV_SIZE + ctLength));
    try {
      decipher.final();
    } catch {
      body.fill(0);
      throw decryptionFailed();
    }
    return body;
  }

  /** Encrypts `out[ivAt, ivAt+12)` as the IV; the rest of `out` receives ct ‖ tag. */
  #seal(out: Buffer, ivAt: number, plaintext: Uint8Array, associatedData: Uint8Array): void {
    const iv = out.subarray(ivAt, ivAt + AES_GCM_IV_SIZE);
    const cipher = createCipheriv(this.#algorithm, this.#key, iv, { authTagLength: AES_GCM_TAG_SIZE });
    if (associatedData.length > 0) cipher.setAAD(associatedData);
    let at = ivAt + AES_GCM_IV_SIZE;
    if (plaintext.length > 0) at += cipher.update(plaintext).copy(out, at);
    cipher.final();
    cipher.getAuthTag().copy(out, at);
  }

  static {
    sealWithIv = (gcm, out, ivAt, plaintext, associatedData) => gcm.#seal(out, ivAt, plaintext, associatedData);
  }
}

/**
 * Test hook (not re-exported by the package): encryption with a caller-chosen IV, for known-answer tests.
 * A repeated IV breaks GCM, so production code never calls this.
 */
export function encryptAesGcmWithIv(gcm: AesGcm, iv: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array, prefix: Uint8Array = EMPTY): Buffer {
  if (iv.length !== AES_GCM_IV_SIZE) throw new CryptoError('INVALID_IV', `AES-GCM IV must be ${AES_GCM_IV_SIZE} bytes, got ${iv.length}`);
  const out = Buffer.allocUnsafe(prefix.length + AES_GCM_IV_SIZE + plaintext.length + AES_GCM_TAG_SIZE);
  out.set(prefix, 0);
  out.set(iv, prefix.length);
  sealWithIv(gcm, out, prefix.length, plaintext, associatedData);
  return out;
}
