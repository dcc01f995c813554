// AES-SIV primitive: RFC 5297 A.1 example, CTR half checked against node's aes-256-ctr, determinism, tampering.

import { createCipheriv, randomBytes } from 'node:crypto';
import { AesSiv } from '../../src/cipher/aes-siv';
import { CryptoError } from '../../src/errors';

const ad = Buffer.from('k203key9');

describe('AesSiv', () => {
  it('uses the second key half for CTR with bits 31 and 63 of the SIV cleared (RFC 5297 key order)', () => {
    // Full known answers for 64-byte keys are the Wycheproof 512-bit groups in test/vectors.
    const key = randomBytes(64);
    const pt = randomBytes(40);
    const out = new AesSiv(key).encryptDeterministically(pt, ad);
    const q = Buffer.from(out.subarray(0, 16));
    q[8] = q[8]! & 0x7f;
    q[12] = q[12]! & 0x7f;
    const ctr = createCipheriv('aes-256-ctr', key.subarray(32), q).update(pt);
    expect(out.subarray(16).equals(ctr)).toBe(true);
  });

  it('agrees with node\'s aes-256-ctr on both sides of the keystream strategy switch (sizes 0..600)', () => {
    const key = randomBytes(64);
    const siv = new AesSiv(key);
    for (let n = 0; n <= 600; n++) {
      const pt = randomBytes(n);
      const out = siv.encryptDeterministically(pt, ad);
      expect(out.length).toBe(16 + n);
      const q = Buffer.from(out.subarray(0, 16));
      q[8] = q[8]! & 0x7f;
      q[12] = q[12]! & 0x7f;
      expect(out.subarray(16).equals(createCipheriv('aes-256-ctr', key.subarray(32), q).update(pt))).toBe(true);
      expect(siv.decryptDeterministically(out, ad).equals(pt)).toBe(true);
    }
  });

  it('is deterministic per (key, plaintext, AD) and changes with each of them', () => {
    const key = randomBytes(64);
    const a = new AesSiv(key);
    const b = new AesSiv(key);
    const pt = Buffer.from('hello');
    const c = a.encryptDeterministically(pt, ad);
    expect(b.encryptDeterministically(pt, ad).equals(c)).toBe(true);
    expect(a.encryptDeterministically(pt, ad).equals(c)).toBe(true);
    expect(a.encryptDeterministically(Buffer.from('hellp'), ad).equals(c)).toBe(false);
    expect(a.encryptDeterministically(pt, Buffer.from('k203key8')).equals(c)).toBe(false);
    expect(new AesSiv(randomBytes(64)).encryptDeterministically(pt, ad).equals(c)).toBe(false);
  });

  it('treats an empty AD as one (empty) S2V component, distinct from a missing one', () => {
    const siv = new AesSiv(randomBytes(64));
    const c = siv.encryptDeterministically(Buffer.from('x'), Buffer.alloc(0));
    expect(siv.decryptDeterministically(c, Buffer.alloc(0)).toString()).toBe('x');
    expect(() => siv.decryptDeterministically(c, Buffer.from([0]))).toThrow(CryptoError);
  });

  it('rejects every bit flip, truncation, wrong AD and wrong key with a non-retriable CryptoError', () => {
    const siv = new AesSiv(randomBytes(64));
    const c = siv.encryptDeterministically(Buffer.from('a secret value!!!'), ad);
    for (let i = 0; i < c.length * 8; i++) {
      const bad = Buffer.from(c);
      bad[i >> 3] = bad[i >> 3]! ^ (1 << (i & 7));
      expect(() => siv.decryptDeterministically(bad, ad)).toThrow(CryptoError);
    }
    for (const n of [0, 15, 16, c.length - 1]) expect(() => siv.decryptDeterministically(c.subarray(0, n), ad)).toThrow(CryptoError);
    expect(() => siv.decryptDeterministically(c, Buffer.from('k203keyX'))).toThrow(CryptoError);
    expect(() => new AesSiv(randomBytes(64)).decryptDeterministically(c, ad)).toThrow(CryptoError);
    try {
      siv.decryptDeterministically(c.subarray(1), ad);
    } catch (e) {
      expect((e as CryptoError).retriable).toBe(false);
      expect((e as Error).message).not.toMatch(/secret/);
    }
  });

  it('keeps working after a failed decryption (the shared MAC stream stays in sync)', () => {
    const siv = new AesSiv(randomBytes(64));
    const c = siv.encryptDeterministically(Buffer.from('abc'), ad);
    expect(() => siv.decryptDeterministically(Buffer.concat([c, Buffer.from([1])]), ad)).toThrow(CryptoError);
    expect(siv.decryptDeterministically(c, ad).toString()).toBe('abc');
    expect(siv.encryptDeterministically(Buffer.from('abc'), ad).equals(c)).toBe(true);
  });

  it.each([0, 16, 32, 48, 63, 65])('refuses a %i-byte key (Tink AesSivKey is 64 bytes)', (n) => {
    expect(() => new AesSiv(Buffer.alloc(n))).toThrow(/64 bytes/);
  });
});
