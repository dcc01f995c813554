// AES-SIV (RFC 5297) as Tink's AesSivKey uses it: 64-byte key (CMAC half ‖ CTR half), exactly one
// associated-data component, output SIV ‖ CTR(P). Node has no SIV mode, so it is composed from AES here.

import { createCipheriv, createSecretKey, timingSafeEqual, type Cipher, type KeyObject } from 'node:crypto';
import { CryptoError } from '../errors';
import { AES_BLOCK_SIZE, AesCmac, dbl, paddedLength, xorInto } from './aes-cmac';
import type { DeterministicAead } from './primitive';

export const AES_SIV_KEY_SIZE = 64;
const EMPTY = Buffer.alloc(0);
// Below this many bytes a keystream from the long-lived ECB cipher beats creating a CTR cipher per call.
const ECB_KEYSTREAM_MAX = 512;

function decryptionFailed(): CryptoError {
  return new CryptoError('DECRYPTION_FAILED', 'AES-SIV decryption failed: ciphertext or associated data is invalid', { retriable: false });
}

export class AesSiv implements DeterministicAead {
  readonly #cmac: AesCmac;
  readonly #ctrKey: KeyObject;
  readonly #ecb: Cipher;
  /** dbl(CMAC(<zero>)): the first S2V step depends only on the key. */
  readonly #d0: Buffer;
  // The S2V state after the associated data depends only on the key and the AD, and a field's AD (its envelope
  // header) repeats from call to call: the last one is kept so the common case skips a CMAC.
  #lastAd: Buffer | undefined;
  #lastAdState: Buffer = EMPTY;
  #lastAdStateDbl: Buffer = EMPTY;

  constructor(key: Uint8Array) {
    if (key.length !== AES_SIV_KEY_SIZE) {
      throw new CryptoError('INVALID_KEY', `AES-SIV key must be ${AES_SIV_KEY_SIZE} bytes, got ${key.length}`, { retriable: false });
    }
    const half = AES_SIV_KEY_SIZE / 2;
    this.#cmac = new AesCmac(key.subarray(0, half));
    this.#ctrKey = createSecretKey(key.subarray(half));
    this.#ecb = createCipheriv('aes-256-ecb', this.#ctrKey, null).setAutoPadding(false);
    this.#d0 = dbl(this.#cmac.mac(Buffer.alloc(AES_BLOCK_SIZE)));
  }

  encryptDeterministically(plaintext: Uint8Array, associatedData: Uint8Array): Buffer {
    return this.encryptWithPrefix(EMPTY, plaintext, associatedData);
  }

  /** Writes `prefix ‖ SIV ‖ ct` in one buffer for keyset wrappers. */
  encryptWithPrefix(prefix: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Buffer {
    const out = Buffer.allocUnsafe(prefix.length + AES_BLOCK_SIZE + plaintext.length);
    if (prefix.length > 0) out.set(prefix, 0);
    const v = this.#s2v(associatedData, plaintext);
    v.copy(out, prefix.length);
    this.#ctr(v, plaintext, out, prefix.length + AES_BLOCK_SIZE);
    return out;
  }

  decryptDeterministically(ciphertext: Uint8Array, associatedData: Uint8Array): Buffer {
    if (ciphertext.length < AES_BLOCK_SIZE) throw decryptionFailed();
    const v = ciphertext.subarray(0, AES_BLOCK_SIZE);
    const plaintext = Buffer.allocUnsafe(ciphertext.length - AES_BLOCK_SIZE);
    this.#ctr(v, ciphertext.subarray(AES_BLOCK_SIZE), plaintext, 0);
    const expected = this.#s2v(associatedData, plaintext);
    if (!timingSafeEqual(expected, v)) {
      plaintext.fill(0);
      throw decryptionFailed();
    }
    return plaintext;
  }

  /** S2V over the vector [associatedData, plaintext] (RFC 5297 §2.4). */
  #s2v(associatedData: Uint8Array, plaintext: Uint8Array): Buffer {
    this.#adState(associatedData);
    const d = this.#lastAdState;
    const n = plaintext.length;
    const t = Buffer.alloc(paddedLength(n));
    t.set(plaintext, 0);
    if (n >= AES_BLOCK_SIZE) {
      xorInto(t, n - AES_BLOCK_SIZE, d); // P xorend D
      return this.#cmac.macPrepared(t, n);
    }
    // Short plaintext: dbl(D) xor pad(P); pad(P) is P ‖ 0x80 ‖ 0*, already a full block, so MAC it as one.
    t[n] = 0x80;
    xorInto(t, 0, this.#lastAdStateDbl);
    return this.#cmac.macPrepared(t, AES_BLOCK_SIZE);
  }

  /** Sets #lastAdState = dbl(CMAC(0)) xor CMAC(AD) (and its double) for `associatedData`, reusing the last one when equal. */
  #adState(associatedData: Uint8Array): void {
    const last = this.#lastAd;
    if (last !== undefined && last.length === associatedData.length) {
      let same = true;
      for (let i = 0; i < last.length; i++) {
        if (last[i] !== associatedData[i]) { same = false; break; }
      }
      if (same) return;
    }
    const d = this.#cmac.mac(associatedData);
    xorInto(d, 0, this.#d0);
    this.#lastAdState = d;
    this.#lastAdStateDbl = dbl(d);
    this.#lastAd = Buffer.from(associatedData);
  }

  /** AES-CTR keyed with the second key half, counter Q = V with bits 31 and 63 cleared. */
  #ctr(v: Uint8Array, input: Uint8Array, out: Buffer, at: number): void {
    const n = input.length;
    if (n === 0) return;
    const q = Buffer.from(v);
    q[8] = q[8]! & 0x7f;
    q[12] = q[12]! & 0x7f;
    if (n > ECB_KEYSTREAM_MAX) {
      const ctr = createCipheriv('aes-256-ctr', this.#ctrKey, q);
      ctr.update(input).copy(out, at);
      return;
    }
    // Clearing bit 31 lets the low 32-bit word count 2^31 blocks without carrying into the word above.
    const blocks = Math.ceil(n / AES_BLOCK_SIZE);
    const counters = Buffer.allocUnsafe(blocks * AES_BLOCK_SIZE);
    const low = q.readUInt32BE(12);
    for (let b = 0; b < blocks; b++) {
      const o = b * AES_BLOCK_SIZE;
      q.copy(counters, o, 0, 12);
      counters.writeUInt32BE(low + b, o + 12);
    }
    const keystream = this.#ecb.update(counters);
    for (let i = 0; i < n; i++) out[at + i] = input[i]! ^ keystream[i]!;
  }
}
