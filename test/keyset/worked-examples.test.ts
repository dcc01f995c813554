// The hand-derived examples of wire-format.md (Ex-1, Ex-2, Ex-3, AES-GCM parts of Ex-5/Ex-6, Ex-7),
// reproduced byte for byte with the fixture keysets and the fixed-IV test hook.

import { AesGcm, encryptAesGcmWithIv } from '../../src/cipher/aes-gcm';
import { Keyset } from '../../src/keyset/keyset';
import { keysetAead, keysetDeterministicAead } from '../../src/keyset/keyset-aead';
import { outputPrefix } from '../../src/keyset/output-prefix';
import { KEYSET_9, KEYSET_B } from './fixtures';

const hex = (s: string): Buffer => Buffer.from(s.replace(/[\s|]/g, ''), 'hex');
const kryoHello = hex('03 68 65 6c 6c ef');
const range = (from: number, n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => from + i));
/** k2 envelope framing, written out here only to compare with the spec's Base64. */
const k2 = (alg: string, keyId: string, c: Buffer): Buffer => Buffer.concat([Buffer.from(`k200${alg}`), Buffer.from([keyId.length]), Buffer.from(keyId), c]);

describe('wire-format.md worked examples', () => {
  const keyB = Keyset.fromTinkJson(KEYSET_B, { identifier: 'keyB' });
  const gcmB = new AesGcm(keyB.primaryKey().rawKey());

  it('keyB is AES-256-GCM with the ASCII key the spec names', () => {
    expect(keyB.primaryKey().rawKey().toString('latin1')).toBe('Hello!WorldFUCK1abcdjkl$12345678');
    expect(outputPrefix('TINK', 1000000002).toString('hex')).toBe('013b9aca02');
  });

  it('Ex-1: k2 TINK/AES_GCM with IV 00..0b', () => {
    const aad = Buffer.from('k202keyB');
    const c = encryptAesGcmWithIv(gcmB, range(0, 12), kryoHello, aad, outputPrefix('TINK', 1000000002));
    expect(c.toString('hex')).toBe(hex('01 3b 9a ca 02 000102030405060708090a0b ab05b59fd124 9354581b2d113abc244cb1e5e2dce9fb').toString('hex'));
    expect(k2('02', 'keyB', c).toString('base64')).toBe('azIwMDAyBGtleUIBO5rKAgABAgMEBQYHCAkKC6sFtZ/RJJNUWBstETq8JEyx5eLc6fs=');
    expect(keysetAead(keyB).decrypt(c, aad).equals(kryoHello)).toBe(true);
  });

  it('Ex-2: the AES-GCM bytes of the k1 example (AAD "k102keyB")', () => {
    const c = encryptAesGcmWithIv(gcmB, range(0, 12), kryoHello, Buffer.from('k102keyB'), outputPrefix('TINK', 1000000002));
    expect(c.toString('hex')).toBe(hex('01 3b9aca02 000102030405060708090a0b ab05b59fd124 32638f86e5d3c8f95bc0921aefcaea25').toString('hex'));
  });

  it('Ex-3: k2 TINK/AES_GCM_SIV with keyset key9 is fully deterministic', () => {
    const key9 = Keyset.fromTinkJson(KEYSET_9, { identifier: 'key9' });
    const aad = Buffer.from('k203key9');
    const c = keysetDeterministicAead(key9).encryptDeterministically(kryoHello, aad);
    expect(c.toString('hex')).toBe(hex('01 3b 9a ca 03 | f0 c3 2d 10 56 92 0e 4c b8 44 88 8a 51 96 68 13 | e5 f7 6c d3 75 37').toString('hex'));
    expect(k2('03', 'key9', c).toString('base64')).toBe('azIwMDAzBGtleTkBO5rKA/DDLRBWkg5MuESIilGWaBPl92zTdTc=');
    expect(keysetDeterministicAead(key9).decryptDeterministically(c, aad).equals(kryoHello)).toBe(true);
  });

  it('Ex-5: wrapped DEK under keyB (AAD "keyB") and the DEK-encrypted payload', () => {
    const dek = range(0, 16);
    const wrapped = encryptAesGcmWithIv(gcmB, range(0x10, 12), dek, Buffer.from('keyB'), outputPrefix('TINK', 1000000002));
    expect(wrapped.length).toBe(49);
    expect(wrapped.toString('hex')).toBe(hex('01 3b9aca02 | 101112131415161718191a1b | a352a9a0382fd4da2a098794337c9591 | 13817055f15c59be457eceaaf5577ad0').toString('hex'));
    expect(keysetAead(keyB).decrypt(wrapped, Buffer.from('keyB')).equals(dek)).toBe(true);
    const data = encryptAesGcmWithIv(new AesGcm(dek), range(0x20, 12), kryoHello, Buffer.from('k205keyB'));
    expect(data.toString('hex')).toBe(hex('202122232425262728292a2b | c39d77c8ea1f | 0f8eaf2679da614a038d20ae49713af8').toString('hex'));
    const c = Buffer.concat([hex('00000031'), wrapped, data]);
    expect(k2('05', 'keyB', c).toString('base64')).toBe('azIwMDA1BGtleUIAAAAxATuaygIQERITFBUWFxgZGhujUqmgOC/U2ioJh5QzfJWRE4FwVfFcWb5Ffs6q9Vd60CAhIiMkJSYnKCkqK8Odd8jqHw+OryZ52mFKA40grklxOvg=');
  });

  it('Ex-6: the DEK-encrypted payload under KEK identifier my-kek', () => {
    const data = encryptAesGcmWithIv(new AesGcm(range(0, 16)), range(0x20, 12), kryoHello, Buffer.from('k206my-kek'));
    expect(data.toString('hex')).toBe(hex('202122232425262728292a2b | c39d77c8ea1f | a0cff282765a71541bef2f907a72af99').toString('hex'));
  });

  it('Ex-7: the keyB keyset as a Keyset protobuf (108 bytes), both ways', () => {
    const expected = 'CIKU69wDEmQKWAowdHlwZS5nb29nbGVhcGlzLmNvbS9nb29nbGUuY3J5cHRvLnRpbmsuQWVzR2NtS2V5EiIaIEhlbGxvIVdvcmxkRlVDSzFhYmNkamtsJDEyMzQ1Njc4GAEQARiClOvcAyAB';
    const proto = keyB.toProto();
    expect(proto.length).toBe(108);
    expect(proto.toString('base64')).toBe(expected);
    expect(Keyset.fromProto(Buffer.from(expected, 'base64')).toTinkJson()).toEqual(KEYSET_B);
  });
});
