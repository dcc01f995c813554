// Keyset AEAD / deterministic AEAD: primary encrypts, prefix lookup then RAW trial on decrypt,
// DISABLED keys never decrypt, all four prefixes, type checks, caching, FPE key access.

import { AesGcm, encryptAesGcmWithIv } from '../../src/cipher/aes-gcm';
import { CryptoError, KeysetError } from '../../src/errors';
import { encodeKeyValue, AES_GCM_TYPE_URL, AES_SIV_TYPE_URL } from '../../src/keyset/key-types';
import { Keyset, type KeyInit } from '../../src/keyset/keyset';
import { fpeKeyBytes, keysetAead, keysetDeterministicAead } from '../../src/keyset/keyset-aead';
import { outputPrefix } from '../../src/keyset/output-prefix';
import { KEYSET_9, KEYSET_B, KEYSET_C_FPE } from './fixtures';

const ad = Buffer.from('k202ks');
const rawKey = (seed: number, n: number): Buffer => Buffer.alloc(n, seed);
const gcmKey = (keyId: number, seed: number, extra: Partial<KeyInit> = {}): KeyInit => ({
  keyId, status: 'ENABLED', outputPrefixType: 'TINK', typeUrl: AES_GCM_TYPE_URL, value: encodeKeyValue('AES_GCM', rawKey(seed, 16)), ...extra,
});
const sivKey = (keyId: number, seed: number, extra: Partial<KeyInit> = {}): KeyInit => ({
  keyId, status: 'ENABLED', outputPrefixType: 'TINK', typeUrl: AES_SIV_TYPE_URL, value: encodeKeyValue('AES_SIV', rawKey(seed, 64)), ...extra,
});

describe('output prefixes', () => {
  it.each([['TINK', '01'], ['LEGACY', '00'], ['CRUNCHY', '00']] as const)('%s = %s ‖ key id big-endian', (type, first) => {
    expect(outputPrefix(type, 1000000002).toString('hex')).toBe(`${first}3b9aca02`);
    expect(outputPrefix(type, 0xffffffff).toString('hex')).toBe(`${first}ffffffff`);
    expect(outputPrefix(type, 0).toString('hex')).toBe(`${first}00000000`);
  });
  it('RAW is empty', () => expect(outputPrefix('RAW', 5).length).toBe(0));
});

describe('keysetAead', () => {
  it('encrypts with the primary key and its prefix', () => {
    const ks = Keyset.create(2, [gcmKey(1, 1), gcmKey(2, 2, { outputPrefixType: 'CRUNCHY' }), gcmKey(3, 3)]);
    const c = keysetAead(ks).encrypt(Buffer.from('x'), ad);
    expect(c.subarray(0, 5).toString('hex')).toBe('0000000002');
    expect(new AesGcm(rawKey(2, 16)).decrypt(c.subarray(5), ad).toString()).toBe('x');
  });

  it('decrypts ciphertexts of every ENABLED key, by prefix (TINK, LEGACY, CRUNCHY) or by trial (RAW)', () => {
    const keys = [gcmKey(1, 1), gcmKey(2, 2, { outputPrefixType: 'LEGACY' }), gcmKey(3, 3, { outputPrefixType: 'CRUNCHY' }), gcmKey(4, 4, { outputPrefixType: 'RAW' }), gcmKey(5, 5, { outputPrefixType: 'RAW' })];
    const all = Keyset.create(1, keys);
    for (const k of keys) {
      const single = Keyset.create(k.keyId, [k]);
      const c = keysetAead(single).encrypt(Buffer.from(`from ${k.keyId}`), ad);
      expect(keysetAead(all).decrypt(c, ad).toString()).toBe(`from ${k.keyId}`);
    }
  });

  it('falls back to RAW keys when a prefix matches but its key fails (RAW ciphertext starting with 01‖id)', () => {
    const ks = Keyset.create(1, [gcmKey(1, 1), gcmKey(9, 9, { outputPrefixType: 'RAW' })]);
    const iv = Buffer.concat([outputPrefix('TINK', 1), Buffer.alloc(7, 0xaa)]);
    const c = encryptAesGcmWithIv(new AesGcm(rawKey(9, 16)), iv, Buffer.from('raw'), ad);
    expect(c.subarray(0, 5).equals(outputPrefix('TINK', 1))).toBe(true);
    expect(keysetAead(ks).decrypt(c, ad).toString()).toBe('raw');
  });

  it('never decrypts with a DISABLED key', () => {
    const old = gcmKey(1, 1);
    const c = keysetAead(Keyset.create(1, [old])).encrypt(Buffer.from('old'), ad);
    const cRaw = keysetAead(Keyset.create(3, [gcmKey(3, 3, { outputPrefixType: 'RAW' })])).encrypt(Buffer.from('raw'), ad);
    const rotated = Keyset.create(2, [{ ...old, status: 'DISABLED' }, gcmKey(2, 2), gcmKey(3, 3, { outputPrefixType: 'RAW', status: 'DISABLED' })]);
    expect(() => keysetAead(rotated).decrypt(c, ad)).toThrow(CryptoError);
    expect(() => keysetAead(rotated).decrypt(cRaw, ad)).toThrow(CryptoError);
    const enabled = Keyset.create(2, [old, gcmKey(2, 2)]);
    expect(keysetAead(enabled).decrypt(c, ad).toString()).toBe('old');
  });

  it('fails with a non-retriable CryptoError naming the keyset, without echoing bytes', () => {
    const ks = Keyset.fromTinkJson(KEYSET_B, { identifier: 'keyB' });
    const c = keysetAead(ks).encrypt(Buffer.from('top secret'), ad);
    for (const bad of [c.subarray(0, 4), Buffer.concat([c.subarray(0, 5), Buffer.alloc(40)]), c, Buffer.alloc(0)]) {
      try {
        keysetAead(ks).decrypt(bad, bad === c ? Buffer.from('wrong') : ad);
        throw new Error('expected failure');
      } catch (e) {
        expect(e).toBeInstanceOf(CryptoError);
        expect((e as CryptoError).retriable).toBe(false);
        expect((e as Error).message).toBe("decryption failed: no enabled key of keyset 'keyB' could decrypt the ciphertext");
      }
    }
  });

  it('builds per-key primitives once per keyset object', () => {
    const ks = Keyset.fromTinkJson(KEYSET_B);
    expect(keysetAead(ks)).toBe(keysetAead(ks));
    expect(keysetAead(Keyset.fromTinkJson(KEYSET_B))).not.toBe(keysetAead(ks));
  });

  it('refuses keysets whose ENABLED keys are not AES-GCM (DISABLED ones are ignored)', () => {
    expect(() => keysetAead(Keyset.fromTinkJson(KEYSET_9, { identifier: 'key9' }))).toThrow(KeysetError);
    expect(() => keysetAead(Keyset.fromTinkJson(KEYSET_9, { identifier: 'key9' }))).toThrow(/keyset 'key9' at key 1000000003: type url '.*AesSivKey' cannot be used for AEAD/);
    const withDisabledSiv = Keyset.create(1, [gcmKey(1, 1), sivKey(2, 2, { status: 'DISABLED' })]);
    expect(keysetAead(withDisabledSiv).decrypt(keysetAead(withDisabledSiv).encrypt(Buffer.from('ok'), ad), ad).toString()).toBe('ok');
  });
});

describe('keysetDeterministicAead', () => {
  it('encrypts deterministically with the primary and decrypts older keys by prefix and RAW keys by trial', () => {
    const keys = [sivKey(1, 1), sivKey(2, 2, { outputPrefixType: 'CRUNCHY' }), sivKey(3, 3, { outputPrefixType: 'RAW' })];
    const all = Keyset.create(1, keys);
    const d = keysetDeterministicAead(all);
    expect(d.encryptDeterministically(Buffer.from('v'), ad).equals(d.encryptDeterministically(Buffer.from('v'), ad))).toBe(true);
    for (const k of keys) {
      const c = keysetDeterministicAead(Keyset.create(k.keyId, [k])).encryptDeterministically(Buffer.from(`k${k.keyId}`), ad);
      expect(d.decryptDeterministically(c, ad).toString()).toBe(`k${k.keyId}`);
    }
  });

  it('never decrypts with a DISABLED key and refuses non-SIV keysets', () => {
    const c = keysetDeterministicAead(Keyset.create(1, [sivKey(1, 1)])).encryptDeterministically(Buffer.from('x'), ad);
    const rotated = Keyset.create(2, [sivKey(1, 1, { status: 'DISABLED' }), sivKey(2, 2)]);
    expect(() => keysetDeterministicAead(rotated).decryptDeterministically(c, ad)).toThrow(CryptoError);
    expect(() => keysetDeterministicAead(Keyset.fromTinkJson(KEYSET_B))).toThrow(/cannot be used for deterministic AEAD/);
  });
});

describe('fpeKeyBytes', () => {
  it('returns the primary FPE key bytes', () => {
    expect(fpeKeyBytes(Keyset.fromTinkJson(KEYSET_C_FPE)).toString('hex')).toBe('554e4ed15044ebe6c8ca08f6cff06256');
  });
  it('refuses a keyset whose primary is not an FPE key', () => {
    expect(() => fpeKeyBytes(Keyset.fromTinkJson(KEYSET_B, { identifier: 'keyB' }))).toThrow(KeysetError);
    expect(() => fpeKeyBytes(Keyset.fromTinkJson(KEYSET_B, { identifier: 'keyB' }))).toThrow(/keyset 'keyB' at key 1000000002: primary key type url .* is not the FPE key type/);
  });
});
