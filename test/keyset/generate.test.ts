// Keyset generation with the Kryptonite keyset tool's rules, and rotation helpers.

import { ConfigError, KeysetError } from '../../src/errors';
import { AES_GCM_TYPE_URL, AES_SIV_TYPE_URL, FPE_TYPE_URL } from '../../src/keyset/key-types';
import { addKey, generateKeyset, promoteKey, setKeyStatus } from '../../src/keyset/generate';
import { Keyset } from '../../src/keyset/keyset';
import { keysetAead } from '../../src/keyset/keyset-aead';

describe('generateKeyset', () => {
  it('AES_GCM: consecutive ids from 10000, first primary, TINK prefix, 32-byte keys by default', () => {
    const k = generateKeyset({ algorithm: 'AES_GCM', numKeys: 3 });
    expect(k.primaryKeyId).toBe(10000);
    expect(k.keys.map((x) => [x.keyId, x.status, x.outputPrefixType, x.typeUrl, x.keyMaterialType])).toEqual([10000, 10001, 10002].map((id) => [id, 'ENABLED', 'TINK', AES_GCM_TYPE_URL, 'SYMMETRIC']));
    expect(k.keys.every((x) => x.rawKey().length === 32)).toBe(true);
    // 1A 20 then the key's first bits: the spec's "GiA" holds only when the first key byte is below 0x40.
    expect(k.toTinkJson().key[0]!.keyData.value).toMatch(/^Gi[A-D]/);
    expect(new Set(k.keys.map((x) => x.rawKey().toString('hex'))).size).toBe(3);
  });

  it('AES_GCM 128 gives 16-byte keys; 192 is refused like the Java tool', () => {
    expect(generateKeyset({ algorithm: 'AES_GCM', keySizeBits: 128 }).primaryKey().rawKey().length).toBe(16);
    expect(() => generateKeyset({ algorithm: 'AES_GCM', keySizeBits: 192 })).toThrow(ConfigError);
    expect(() => generateKeyset({ algorithm: 'AES_GCM', keySizeBits: 192 })).toThrow(/keySizeBits: AES_GCM supports key sizes 128, 256 bits, got 192/);
  });

  it('AES_GCM_SIV always makes a 64-byte AES-SIV key with TINK prefix, whatever the size', () => {
    for (const keySizeBits of [128, 192, 256]) {
      const k = generateKeyset({ algorithm: 'AES_GCM_SIV', keySizeBits, initialKeyId: 5 });
      expect(k.primaryKey().typeUrl).toBe(AES_SIV_TYPE_URL);
      expect(k.primaryKey().rawKey().length).toBe(64);
      expect(k.primaryKey().outputPrefixType).toBe('TINK');
      expect(k.toTinkJson().key[0]!.keyData.value).toMatch(/^Ek[A-D]/);
    }
  });

  it('FPE_FF31: raw 16/24/32-byte keys with RAW prefix', () => {
    for (const bits of [128, 192, 256]) {
      const k = generateKeyset({ algorithm: 'FPE_FF31', keySizeBits: bits, numKeys: 2, initialKeyId: 7 });
      expect(k.keys.map((x) => [x.keyId, x.outputPrefixType, x.typeUrl])).toEqual([[7, 'RAW', FPE_TYPE_URL], [8, 'RAW', FPE_TYPE_URL]]);
      expect(k.primaryKey().keyDataValue().length).toBe(bits / 8);
    }
    expect(() => generateKeyset({ algorithm: 'FPE_FF31', keySizeBits: 512 })).toThrow(/FPE_FF31 supports key sizes 128, 192, 256/);
  });

  it('uses the injected randomness', () => {
    const k = generateKeyset({ algorithm: 'AES_GCM', keySizeBits: 128, random: (n) => Buffer.alloc(n, 0xab) });
    expect(k.primaryKey().rawKey().toString('hex')).toBe('ab'.repeat(16));
  });

  it.each([
    [{ numKeys: 0 }, /numKeys: expected 1..1000, got 0/],
    [{ numKeys: 1001 }, /numKeys/],
    [{ initialKeyId: -1 }, /initialKeyId/],
    [{ initialKeyId: 0xffffffff, numKeys: 2 }, /initialKeyId: ids 4294967295..4294967296 must be uint32/],
    [{ algorithm: 'AES_CBC' }, /algorithm: expected AES_GCM, AES_GCM_SIV or FPE_FF31/],
  ] as const)('rejects bad options %#', (opts, message) => {
    expect(() => generateKeyset({ algorithm: 'AES_GCM', ...opts } as never)).toThrow(message);
  });
});

describe('rotation helpers', () => {
  it('addKey adds a key of the same type, size and prefix with the next id; promote makes it primary', () => {
    const v1 = generateKeyset({ algorithm: 'AES_GCM', keySizeBits: 128, identifier: 'r' });
    const v2 = addKey(v1);
    expect(v2.primaryKeyId).toBe(10000);
    expect(v2.keys.map((k) => k.keyId)).toEqual([10000, 10001]);
    expect(v2.keys[1]!.rawKey().length).toBe(16);
    expect(v2.keys[1]!.outputPrefixType).toBe('TINK');
    expect(v2.identifier).toBe('r');
    const v3 = addKey(v2, { promote: true, keyId: 77 });
    expect(v3.primaryKeyId).toBe(77);
    const c = keysetAead(v1).encrypt(Buffer.from('old'), Buffer.alloc(0));
    expect(keysetAead(v3).decrypt(c, Buffer.alloc(0)).toString()).toBe('old');
    expect(keysetAead(v3).encrypt(Buffer.from('new'), Buffer.alloc(0)).readUInt32BE(1)).toBe(77);
    expect(() => addKey(v3, { keyId: 77 })).toThrow(/keyId: 77 is already in the keyset/);
  });

  it('promoteKey and setKeyStatus re-validate (the primary cannot be disabled)', () => {
    const v = generateKeyset({ algorithm: 'AES_GCM_SIV', numKeys: 2 });
    expect(promoteKey(v, 10001).primaryKeyId).toBe(10001);
    expect(setKeyStatus(v, 10001, 'DISABLED').keys[1]!.status).toBe('DISABLED');
    expect(() => setKeyStatus(v, 10000, 'DISABLED')).toThrow(KeysetError);
    expect(() => promoteKey(setKeyStatus(v, 10001, 'DISABLED'), 10001)).toThrow(/primary key 10001 is DISABLED/);
    expect(() => setKeyStatus(v, 1, 'DISABLED')).toThrow(/keyId: 1 is not in the keyset/);
  });

  it('generated keysets survive Tink JSON and protobuf round trips', () => {
    for (const algorithm of ['AES_GCM', 'AES_GCM_SIV', 'FPE_FF31'] as const) {
      const k = generateKeyset({ algorithm, numKeys: 4 });
      expect(Keyset.fromTinkJson(JSON.stringify(k.toTinkJson())).toTinkJson()).toEqual(k.toTinkJson());
      expect(Keyset.fromProto(k.toProto()).toTinkJson()).toEqual(k.toTinkJson());
    }
  });
});
