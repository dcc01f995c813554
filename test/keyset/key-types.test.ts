// keyData.value decoding for AesGcmKey, AesSivKey and the FPE key; tolerance of version/unknown fields.

import { AES_GCM_TYPE_URL, AES_SIV_TYPE_URL, FPE_TYPE_URL, KeyValueError, decodeKeyValue, encodeKeyValue } from '../../src/keyset/key-types';

const key = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => i + 1));

describe('key types', () => {
  it('encodes AesGcmKey as 1A len key (Base64 GhA / GiA) and AesSivKey as 12 40 key (EkA)', () => {
    expect(encodeKeyValue('AES_GCM', key(16)).subarray(0, 2).toString('hex')).toBe('1a10');
    expect(encodeKeyValue('AES_GCM', key(16)).toString('base64')).toMatch(/^GhA/);
    expect(encodeKeyValue('AES_GCM', key(32)).toString('base64')).toMatch(/^GiA/);
    expect(encodeKeyValue('AES_SIV', key(64)).subarray(0, 2).toString('hex')).toBe('1240');
    expect(encodeKeyValue('AES_SIV', key(64)).toString('base64')).toMatch(/^EkA/);
    expect(encodeKeyValue('FPE', key(24)).equals(key(24))).toBe(true);
  });

  it('round-trips raw key bytes for every type and size', () => {
    for (const n of [16, 32]) expect(decodeKeyValue(AES_GCM_TYPE_URL, encodeKeyValue('AES_GCM', key(n))).equals(key(n))).toBe(true);
    expect(decodeKeyValue(AES_SIV_TYPE_URL, encodeKeyValue('AES_SIV', key(64))).equals(key(64))).toBe(true);
    for (const n of [16, 24, 32]) expect(decodeKeyValue(FPE_TYPE_URL, key(n)).equals(key(n))).toBe(true);
  });

  it('tolerates an explicit version 0 and unknown fields in the AES protos', () => {
    const gcm = Buffer.concat([Buffer.from('0800', 'hex'), Buffer.from('2a03616263', 'hex'), encodeKeyValue('AES_GCM', key(16)), Buffer.from('3801', 'hex')]);
    expect(decodeKeyValue(AES_GCM_TYPE_URL, gcm).equals(key(16))).toBe(true);
    const siv = Buffer.concat([Buffer.from('0800', 'hex'), encodeKeyValue('AES_SIV', key(64)), Buffer.from('1a0100', 'hex')]);
    expect(decodeKeyValue(AES_SIV_TYPE_URL, siv).equals(key(64))).toBe(true);
  });

  it('reads key_value from the right field number (GCM #3, SIV #2)', () => {
    // A GCM-shaped value (field 3) is not a SIV key even with 64 bytes.
    const field3 = Buffer.concat([Buffer.from('1a40', 'hex'), key(64)]);
    expect(() => decodeKeyValue(AES_SIV_TYPE_URL, field3)).toThrow(/AesSivKey key must be 64 bytes, got 0/);
  });

  it.each([
    [AES_GCM_TYPE_URL, encodeKeyValue('AES_GCM', key(24)), /AesGcmKey key must be 16 or 32 bytes, got 24/],
    [AES_SIV_TYPE_URL, encodeKeyValue('AES_SIV', key(32)), /AesSivKey key must be 64 bytes, got 32/],
    [FPE_TYPE_URL, key(20), /FpeKey key must be 16 or 24 or 32 bytes, got 20/],
    [AES_GCM_TYPE_URL, Buffer.concat([Buffer.from('0801', 'hex'), encodeKeyValue('AES_GCM', key(16))]), /version 1 is not supported/],
    [AES_GCM_TYPE_URL, Buffer.from('1a20ab', 'hex'), /malformed/],
    [AES_GCM_TYPE_URL, Buffer.from('1d00000000', 'hex'), /wrong wire type/],
    ['type.googleapis.com/google.crypto.tink.ChaCha20Poly1305Key', key(32), /unknown key type url/],
  ])('rejects %s value %#', (url, value, message) => {
    expect(() => decodeKeyValue(url, value)).toThrow(KeyValueError);
    expect(() => decodeKeyValue(url, value)).toThrow(message);
  });
});
