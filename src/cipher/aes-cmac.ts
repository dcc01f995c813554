// AES-CMAC (RFC 4493 / NIST SP 800-38B), the MAC under AES-SIV's S2V. Built on one long-lived
// AES-CBC stream so each MAC costs a single native call, whatever the message length.

import { createCipheriv, type Cipher } from 'node:crypto';
import { CryptoError } from '../errors';

export const AES_BLOCK_SIZE = 16;

/** Doubling in GF(2^128) as RFC 5297 / RFC 4493 define it (big-endian shift, reduce with 0x87). */
export function dbl(block: Buffer): Buffer {
  const out = Buffer.allocUnsafe(AES_BLOCK_SIZE);
  let carry = 0;
  for (let i = AES_BLOCK_SIZE - 1; i >= 0; i--) {
    const b = block[i]!;
    out[i] = ((b << 1) | carry) & 0xff;
    carry = b >>> 7;
  }
  if (carry !== 0) out[AES_BLOCK_SIZE - 1] = out[AES_BLOCK_SIZE - 1]! ^ 0x87;
  return out;
}

export function xorInto(target: Buffer, at: number, block: Buffer): void {
  for (let i = 0; i < AES_BLOCK_SIZE; i++) target[at + i] = target[at + i]! ^ block[i]!;
}

export class AesCmac {
  // A CBC encryptor whose chaining value is always `#chain`: XOR-ing it into the first block of the
  // next message restarts CBC from a zero IV without creating a new cipher (and key schedule) per MAC.
  readonly #cbc: Cipher;
  readonly #chain = Buffer.alloc(AES_BLOCK_SIZE);
  readonly #k1: Buffer;
  readonly #k2: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
      throw new CryptoError('INVALID_KEY', `AES-CMAC key must be 16, 24 or 32 bytes, got ${key.length}`);
    }
    this.#cbc = createCipheriv(`aes-${key.length * 8}-cbc`, key, Buffer.alloc(AES_BLOCK_SIZE)).setAutoPadding(false);
    const l = this.#cbcMac(Buffer.alloc(AES_BLOCK_SIZE));
    this.#k1 = dbl(l);
    this.#k2 = dbl(this.#k1);
  }

  mac(message: Uint8Array): Buffer {
    const buf = Buffer.alloc(paddedLength(message.length));
    buf.set(message, 0);
    return this.macPrepared(buf, message.length);
  }

  /**
   * MAC of `buf[0, n)` where `buf` has length paddedLength(n) and is zero after n; consumes (overwrites) `buf`.
   * Lets S2V build its last input in place instead of copying it again.
   */
  macPrepared(buf: Buffer, n: number): Buffer {
    if (n > 0 && n % AES_BLOCK_SIZE === 0) {
      xorInto(buf, n - AES_BLOCK_SIZE, this.#k1);
    } else {
      buf[n] = 0x80;
      xorInto(buf, buf.length - AES_BLOCK_SIZE, this.#k2);
    }
    return this.#cbcMac(buf);
  }

  #cbcMac(buf: Buffer): Buffer {
    xorInto(buf, 0, this.#chain);
    const out = this.#cbc.update(buf);
    const tag = out.subarray(out.length - AES_BLOCK_SIZE);
    tag.copy(this.#chain);
    return tag;
  }
}

/** Length of a CMAC input after 10* padding: whole blocks, at least one. */
export function paddedLength(n: number): number {
  return n > 0 && n % AES_BLOCK_SIZE === 0 ? n : (Math.floor(n / AES_BLOCK_SIZE) + 1) * AES_BLOCK_SIZE;
}
