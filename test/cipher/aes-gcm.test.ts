// AES-GCM primitive: layout, independent decryption with node:crypto, tamper detection, argument checks.

import { createDecipheriv, randomBytes } from 'node:crypto';
import { AesGcm, encryptAesGcmWithIv } from '../../src/cipher/aes-gcm';
import { CryptoError } from '../../src/errors';

const ad = Buffer.from('k202my-key');

describe('AesGcm', () => {
  it.each([16, 32])('round-trips with a %i-byte key for sizes 0..70 and 4 KiB', (keySize) => {
    const gcm = new AesGcm(randomBytes(keySize));
    for (const n of [...Array(71).keys(), 4096]) {
      const pt = randomBytes(n);
      const ct = gcm.encrypt(pt, ad);
      expect(ct.length).toBe(12 + n + 16);
      expect(gcm.decrypt(ct, ad).equals(pt)).toBe(true);
    }
  });

  it.each([16, 32])('writes IV ‖ ct ‖ tag that plain node:crypto decrypts (%i-byte key)', (keySize) => {
    const key = randomBytes(keySize);
    const pt = Buffer.from('field value');
    const ct = new AesGcm(key).encrypt(pt, ad);
    const d = createDecipheriv(keySize === 16 ? 'aes-128-gcm' : 'aes-256-gcm', key, ct.subarray(0, 12));
    d.setAAD(ad);
    d.setAuthTag(ct.subarray(ct.length - 16));
    expect(Buffer.concat([d.update(ct.subarray(12, ct.length - 16)), d.final()]).equals(pt)).toBe(true);
  });

  it('draws a fresh IV per call (no repeats over 5000 encryptions, beyond the IV pool size)', () => {
    const gcm = new AesGcm(randomBytes(32));
    const ivs = new Set<string>();
    for (let i = 0; i < 5000; i++) ivs.add(gcm.encrypt(Buffer.alloc(0), ad).subarray(0, 12).toString('hex'));
    expect(ivs.size).toBe(5000);
  });

  it('writes the prefix in front and leaves the rest decryptable', () => {
    const gcm = new AesGcm(randomBytes(16));
    const prefix = Buffer.from('013b9aca02', 'hex');
    const out = gcm.encryptWithPrefix(prefix, Buffer.from('x'), ad);
    expect(out.subarray(0, 5).equals(prefix)).toBe(true);
    expect(gcm.decrypt(out.subarray(5), ad).toString()).toBe('x');
  });

  it('the fixed-IV hook is deterministic and agrees with encrypt/decrypt', () => {
    const gcm = new AesGcm(randomBytes(32));
    const iv = Buffer.from('000102030405060708090a0b', 'hex');
    const a = encryptAesGcmWithIv(gcm, iv, Buffer.from('hello'), ad);
    expect(a.equals(encryptAesGcmWithIv(gcm, iv, Buffer.from('hello'), ad))).toBe(true);
    expect(a.subarray(0, 12).equals(iv)).toBe(true);
    expect(gcm.decrypt(a, ad).toString()).toBe('hello');
    expect(() => encryptAesGcmWithIv(gcm, Buffer.alloc(8), Buffer.from('x'), ad)).toThrow(/12 bytes/);
  });

  it('rejects every single-bit flip, a wrong AD, a wrong key and truncation with a non-retriable CryptoError', () => {
    const key = randomBytes(32);
    const gcm = new AesGcm(key);
    const ct = gcm.encrypt(Buffer.from('secret-plaintext'), ad);
    for (let i = 0; i < ct.length * 8; i++) {
      const bad = Buffer.from(ct);
      bad[i >> 3] = bad[i >> 3]! ^ (1 << (i & 7));
      expect(() => gcm.decrypt(bad, ad)).toThrow(CryptoError);
    }
    expect(() => gcm.decrypt(ct, Buffer.from('k202other'))).toThrow(CryptoError);
    expect(() => new AesGcm(randomBytes(32)).decrypt(ct, ad)).toThrow(CryptoError);
    for (const n of [0, 1, 27, ct.length - 1]) expect(() => gcm.decrypt(ct.subarray(0, n), ad)).toThrow(CryptoError);
    try {
      gcm.decrypt(ct.subarray(1), ad);
      throw new Error('expected failure');
    } catch (e) {
      expect(e).toBeInstanceOf(CryptoError);
      expect((e as CryptoError).retriable).toBe(false);
      expect((e as CryptoError).code).toBe('DECRYPTION_FAILED');
      expect((e as Error).message).not.toContain(ct.toString('hex').slice(0, 16));
      expect((e as Error).message).not.toContain('secret');
    }
  });

  it.each([0, 15, 24, 31, 33, 64])('refuses a %i-byte key', (n) => {
    expect(() => new AesGcm(Buffer.alloc(n))).toThrow(/16 or 32 bytes/);
  });
});
