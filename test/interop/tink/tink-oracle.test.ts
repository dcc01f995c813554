// Interop with real Tink (Python tink 1.16.1): keysets and ciphertexts made here work in Tink and the
// other way round, for AES-GCM, AES-SIV, all output prefixes, rotation and encrypted keysets.

import { randomBytes } from 'node:crypto';
import type { KeyEncryptionKey } from '../../../src/keys/ports';
import { decryptKeyset, encryptKeyset } from '../../../src/keyset/encrypted-keyset';
import { addKey, generateKeyset, setKeyStatus } from '../../../src/keyset/generate';
import { Keyset } from '../../../src/keyset/keyset';
import { decodeEncryptedKeysetProto, decodeKeysetInfoProto, encodeEncryptedKeysetProto } from '../../../src/keyset/keyset-proto';
import { keysetAead, keysetDeterministicAead } from '../../../src/keyset/keyset-aead';
import { CryptoError, KeysetError } from '../../../src/errors';
import { TinkOracle } from './tink-oracle-client';

let tink: TinkOracle;
beforeAll(async () => { tink = await TinkOracle.start(); });
afterAll(async () => { await tink?.stop(); });

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const unb64 = (s: string): Buffer => Buffer.from(s, 'base64');
const json = (k: Keyset): string => JSON.stringify(k.toTinkJson());
const ad = Buffer.from('k202keyB');
const sizes = [0, 1, 15, 16, 17, 100, 1000];

type Kind = 'aead' | 'daead';
const tinkEnc = async (kind: Kind, keyset: string, data: Uint8Array, aad = ad): Promise<Buffer> =>
  unb64(await tink.get({ op: `${kind}Enc`, keyset, data: b64(data), ad: b64(aad) }, 'out'));
const tinkDec = async (kind: Kind, keyset: string, data: Uint8Array, aad = ad): Promise<Buffer> =>
  unb64(await tink.get({ op: `${kind}Dec`, keyset, data: b64(data), ad: b64(aad) }, 'out'));
const tinkDecFails = async (kind: Kind, keyset: string, data: Uint8Array, aad = ad): Promise<boolean> =>
  !(await tink.call({ op: `${kind}Dec`, keyset, data: b64(data), ad: b64(aad) })).ok;
const ourEnc = (kind: Kind, k: Keyset, data: Uint8Array, aad = ad): Buffer =>
  kind === 'aead' ? keysetAead(k).encrypt(data, aad) : keysetDeterministicAead(k).encryptDeterministically(data, aad);
const ourDec = (kind: Kind, k: Keyset, data: Uint8Array, aad = ad): Buffer =>
  kind === 'aead' ? keysetAead(k).decrypt(data, aad) : keysetDeterministicAead(k).decryptDeterministically(data, aad);
const withPrefix = (keysetJson: string, prefix: string): string => {
  const o = JSON.parse(keysetJson) as { key: { outputPrefixType: string }[] };
  for (const k of o.key) k.outputPrefixType = prefix;
  return JSON.stringify(o);
};

/** Both directions for one keyset: Tink → us and us → Tink, every size; SIV must also give identical bytes. */
async function crossCheck(kind: Kind, tinkJson: string, expectedPrefixByte: number | null): Promise<void> {
  const ours = Keyset.fromTinkJson(tinkJson);
  const overhead = kind === 'aead' ? 28 : 16;
  for (const n of sizes) {
    const pt = randomBytes(n);
    const fromTink = await tinkEnc(kind, tinkJson, pt);
    expect(ourDec(kind, ours, fromTink).equals(pt)).toBe(true);
    const fromUs = ourEnc(kind, ours, pt);
    expect((await tinkDec(kind, tinkJson, fromUs)).equals(pt)).toBe(true);
    expect(fromUs.length).toBe(fromTink.length);
    expect(fromUs.length).toBe(n + overhead + (expectedPrefixByte === null ? 0 : 5));
    if (expectedPrefixByte !== null) {
      expect(fromUs[0]).toBe(expectedPrefixByte);
      expect(fromUs.readUInt32BE(1)).toBe(ours.primaryKeyId);
      expect(fromUs.subarray(0, 5).equals(fromTink.subarray(0, 5))).toBe(true);
    }
    if (kind === 'daead') expect(fromUs.equals(fromTink)).toBe(true);
    expect(await tinkDecFails(kind, tinkJson, fromUs, Buffer.from('k202keyX'))).toBe(true);
  }
}

describe('Tink oracle (Python tink 1.16.1)', () => {
  it('is the pinned Tink version', async () => {
    expect(await tink.get({ op: 'version' }, 'version')).toBe('1.16.1');
  });

  describe.each([
    ['AES128_GCM', 'aead', 0x01], ['AES256_GCM', 'aead', 0x01], ['AES128_GCM_RAW', 'aead', null], ['AES256_GCM_RAW', 'aead', null],
    ['AES256_SIV', 'daead', 0x01],
  ] as const)('Tink-generated %s keysets', (template, kind, prefixByte) => {
    it('load here, write back to the same JSON Tink reads, and ciphertexts cross in both directions', async () => {
      for (let i = 0; i < 3; i++) {
        const tinkJson = await tink.get({ op: 'gen', template }, 'keyset');
        const ours = Keyset.fromTinkJson(tinkJson);
        expect(ours.toTinkJson()).toEqual(JSON.parse(tinkJson));
        expect(JSON.parse(await tink.get({ op: 'parse', keyset: json(ours) }, 'keyset'))).toEqual(JSON.parse(tinkJson));
        expect(ours.toProto().length).toBeGreaterThan(0);
        await crossCheck(kind, tinkJson, prefixByte);
      }
    });
  });

  it('AES-SIV with a RAW prefix (edited Tink keyset) gives identical bytes on both sides', async () => {
    await crossCheck('daead', withPrefix(await tink.get({ op: 'gen', template: 'AES256_SIV' }, 'keyset'), 'RAW'), null);
  });

  describe.each([['CRUNCHY'], ['LEGACY']])('%s prefix (00 ‖ key id)', (prefix) => {
    it('AES-GCM crosses both ways', async () => {
      await crossCheck('aead', withPrefix(await tink.get({ op: 'gen', template: 'AES256_GCM' }, 'keyset'), prefix), 0x00);
    });
    it('AES-SIV crosses both ways with identical bytes', async () => {
      await crossCheck('daead', withPrefix(await tink.get({ op: 'gen', template: 'AES256_SIV' }, 'keyset'), prefix), 0x00);
    });
  });

  describe.each([
    ['AES_GCM', 128, 'aead'], ['AES_GCM', 256, 'aead'], ['AES_GCM_SIV', 256, 'daead'],
  ] as const)('keysets generated here (%s, %i bits)', (algorithm, keySizeBits, kind) => {
    it('load in Tink unchanged and ciphertexts cross in both directions', async () => {
      const ours = generateKeyset({ algorithm, keySizeBits, numKeys: 3, initialKeyId: 4000000000 });
      expect(JSON.parse(await tink.get({ op: 'parse', keyset: json(ours) }, 'keyset'))).toEqual(ours.toTinkJson());
      await crossCheck(kind, json(ours), 0x01);
    });

    it('rotation: after adding and promoting a key, old-primary ciphertexts of both sides still decrypt on both sides', async () => {
      const v1 = generateKeyset({ algorithm, keySizeBits });
      const pt = Buffer.from('rotate me');
      const oursOld = ourEnc(kind, v1, pt);
      const tinkOld = await tinkEnc(kind, json(v1), pt);
      const v2 = addKey(v1, { promote: true });
      expect(v2.primaryKeyId).toBe(10001);
      for (const c of [oursOld, tinkOld]) {
        expect(ourDec(kind, v2, c).equals(pt)).toBe(true);
        expect((await tinkDec(kind, json(v2), c)).equals(pt)).toBe(true);
      }
      const tinkNew = await tinkEnc(kind, json(v2), pt);
      expect(tinkNew.readUInt32BE(1)).toBe(10001);
      expect(ourEnc(kind, v2, pt).readUInt32BE(1)).toBe(10001);
      expect(ourDec(kind, v2, tinkNew).equals(pt)).toBe(true);
      // Disabling the old key stops both implementations from decrypting its ciphertexts.
      const v3 = setKeyStatus(v2, 10000, 'DISABLED');
      expect(() => ourDec(kind, v3, oursOld)).toThrow(CryptoError);
      expect(await tinkDecFails(kind, json(v3), oursOld)).toBe(true);
      expect(await tinkDecFails(kind, json(v3), tinkOld)).toBe(true);
    });
  });

  it('a keyset mixing TINK keys with a RAW primary: both sides find the RAW key by trial and TINK keys by prefix', async () => {
    const tinkKey = JSON.parse(await tink.get({ op: 'gen', template: 'AES256_GCM' }, 'keyset')) as { primaryKeyId: number; key: unknown[] };
    const rawKey = JSON.parse(await tink.get({ op: 'gen', template: 'AES128_GCM_RAW' }, 'keyset')) as { primaryKeyId: number; key: unknown[] };
    const tinkOnly = JSON.stringify(tinkKey);
    const mixed = JSON.stringify({ primaryKeyId: rawKey.primaryKeyId, key: [...tinkKey.key, ...rawKey.key] });
    const ours = Keyset.fromTinkJson(mixed);
    const pt = Buffer.from('mixed');
    const oldTink = await tinkEnc('aead', tinkOnly, pt);
    const rawFromTink = await tinkEnc('aead', mixed, pt);
    expect(rawFromTink.length).toBe(pt.length + 28);
    expect(ourDec('aead', ours, rawFromTink).equals(pt)).toBe(true);
    expect(ourDec('aead', ours, oldTink).equals(pt)).toBe(true);
    expect((await tinkDec('aead', mixed, ourEnc('aead', ours, pt))).equals(pt)).toBe(true);
  });

  describe('encrypted keysets (KEK = a Tink AES-256-GCM keyset on both sides, empty associated data)', () => {
    let kekJson: string;
    let kek: KeyEncryptionKey;
    beforeAll(async () => {
      kekJson = await tink.get({ op: 'gen', template: 'AES256_GCM' }, 'keyset');
      const aead = keysetAead(Keyset.fromTinkJson(kekJson));
      kek = { encrypt: async (p, a) => aead.encrypt(p, a), decrypt: async (c, a) => aead.decrypt(c, a) };
    });

    it.each([['AES_GCM'], ['AES_GCM_SIV'], ['FPE_FF31']] as const)('Tink decrypts ours (%s; Tink keeps the custom FPE key type as opaque key data), with the current and the legacy reader', async (algorithm) => {
      const keyset = generateKeyset({ algorithm, numKeys: 2 });
      const encrypted = JSON.stringify(await encryptKeyset(keyset, kek));
      for (const legacyReader of [false, true]) {
        const back = await tink.call({ op: 'decryptKeyset', encrypted, kek: kekJson, legacyReader });
        if (!back.ok) throw new Error(back.error);
        expect(JSON.parse(back.keyset as string)).toEqual(keyset.toTinkJson());
      }
    });

    it.each([['AES128_GCM'], ['AES256_SIV']])('we decrypt Tink\'s (%s), and keysetInfo matches Tink\'s', async (template) => {
      const plainJson = await tink.get({ op: 'gen', template }, 'keyset');
      const encrypted = await tink.get({ op: 'encryptKeyset', keyset: plainJson, kek: kekJson }, 'encrypted');
      const keyset = await decryptKeyset(encrypted, kek, { identifier: 'from-tink' });
      expect(keyset.toTinkJson()).toEqual(JSON.parse(plainJson));
      expect(keyset.keysetInfo()).toEqual((JSON.parse(encrypted) as { keysetInfo: unknown }).keysetInfo);
      expect((await encryptKeyset(keyset, kek)).keysetInfo).toEqual((JSON.parse(encrypted) as { keysetInfo: unknown }).keysetInfo);
    });

    it('binary EncryptedKeyset protobufs cross both ways (Tink omits keyset_info; ours carries it)', async () => {
      const plainJson = await tink.get({ op: 'gen', template: 'AES256_GCM' }, 'keyset');
      const binary = unb64(await tink.get({ op: 'encryptKeysetBinary', keyset: plainJson, kek: kekJson }, 'out'));
      const fromTink = decodeEncryptedKeysetProto(binary, {});
      expect(Keyset.fromProto(await kek.decrypt(fromTink.encryptedKeyset, Buffer.alloc(0))).toTinkJson()).toEqual(JSON.parse(plainJson));

      const ours = generateKeyset({ algorithm: 'AES_GCM_SIV', numKeys: 2 });
      const oursBinary = encodeEncryptedKeysetProto(await kek.encrypt(ours.toProto(), Buffer.alloc(0)), ours.keysetInfoProto());
      expect(decodeKeysetInfoProto(decodeEncryptedKeysetProto(oursBinary, {}).keysetInfo!, {})).toEqual(ours.keysetInfo());
      const back = await tink.get({ op: 'decryptKeysetBinary', data: b64(oursBinary), kek: kekJson }, 'keyset');
      expect(JSON.parse(back)).toEqual(ours.toTinkJson());
    });

    it('a different KEK fails on both sides', async () => {
      const otherJson = await tink.get({ op: 'gen', template: 'AES256_GCM' }, 'keyset');
      const other = keysetAead(Keyset.fromTinkJson(otherJson));
      const otherKek: KeyEncryptionKey = { encrypt: async (p, a) => other.encrypt(p, a), decrypt: async (c, a) => other.decrypt(c, a) };
      const encrypted = JSON.stringify(await encryptKeyset(generateKeyset({ algorithm: 'AES_GCM' }), kek));
      await expect(decryptKeyset(encrypted, otherKek, { identifier: 'k' })).rejects.toThrow(KeysetError);
      expect((await tink.call({ op: 'decryptKeyset', encrypted, kek: otherJson })).ok).toBe(false);
    });
  });
});
