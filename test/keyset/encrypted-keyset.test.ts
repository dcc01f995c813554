// Encrypted keysets with an in-memory AES-GCM KEK: round trip, empty associated data, failures.

import { randomBytes } from 'node:crypto';
import { AesGcm } from '../../src/cipher/aes-gcm';
import { KeysetError, KmsError } from '../../src/errors';
import type { KeyEncryptionKey } from '../../src/keys/ports';
import { decryptKeyset, encryptKeyset } from '../../src/keyset/encrypted-keyset';
import { generateKeyset } from '../../src/keyset/generate';
import { Keyset } from '../../src/keyset/keyset';
import { KEYSET_B } from './fixtures';

/** A fake KEK that records the associated data it was called with. */
function fakeKek(key = randomBytes(32)): KeyEncryptionKey & { ads: Buffer[] } {
  const gcm = new AesGcm(key);
  const ads: Buffer[] = [];
  return {
    ads,
    encrypt: async (p, a) => { ads.push(Buffer.from(a)); return gcm.encrypt(p, a); },
    decrypt: async (c, a) => { ads.push(Buffer.from(a)); return gcm.decrypt(c, a); },
  };
}

describe('encrypted keysets', () => {
  it('round-trips through {encryptedKeyset, keysetInfo} with empty associated data on both calls', async () => {
    const kek = fakeKek();
    const keyset = generateKeyset({ algorithm: 'AES_GCM_SIV', numKeys: 3 });
    const enc = await encryptKeyset(keyset, kek);
    expect(Object.keys(enc)).toEqual(['encryptedKeyset', 'keysetInfo']);
    expect(enc.keysetInfo).toEqual(keyset.keysetInfo());
    const back = await decryptKeyset(JSON.stringify(enc), kek, { identifier: 'k1' });
    expect(back.toTinkJson()).toEqual(keyset.toTinkJson());
    expect(back.identifier).toBe('k1');
    expect(kek.ads.map((a) => a.length)).toEqual([0, 0]);
  });

  it('encrypts exactly the serialized Keyset protobuf', async () => {
    const key = randomBytes(32);
    const keyset = Keyset.fromTinkJson(KEYSET_B);
    const enc = await encryptKeyset(keyset, fakeKek(key));
    const plain = new AesGcm(key).decrypt(Buffer.from(enc.encryptedKeyset, 'base64'), Buffer.alloc(0));
    expect(plain.equals(keyset.toProto())).toBe(true);
    expect(JSON.stringify(enc)).not.toContain(KEYSET_B.key[0]!.keyData.value);
  });

  it('a wrong KEK gives a non-retriable KeysetError naming the keyset', async () => {
    const enc = await encryptKeyset(Keyset.fromTinkJson(KEYSET_B), fakeKek());
    const err = await decryptKeyset(enc, fakeKek(), { identifier: 'keyB' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeysetError);
    expect((err as KeysetError).code).toBe('KEYSET_DECRYPTION_FAILED');
    expect((err as KeysetError).retriable).toBe(false);
    expect((err as Error).message).toMatch(/^keyset 'keyB': the key-encryption key could not decrypt/);
  });

  it('passes KMS errors through unchanged so a retriable timeout stays retriable', async () => {
    const timeout = new KmsError('KMS_TIMEOUT', 'KMS call timed out', { retriable: true });
    const kek: KeyEncryptionKey = { encrypt: async () => { throw timeout; }, decrypt: async () => { throw timeout; } };
    await expect(decryptKeyset({ encryptedKeyset: 'AAAA' }, kek)).rejects.toBe(timeout);
    await expect(encryptKeyset(Keyset.fromTinkJson(KEYSET_B), kek)).rejects.toBe(timeout);
  });

  it('validates what the KEK returns like any other keyset', async () => {
    const key = randomBytes(32);
    const kek = fakeKek(key);
    const notAKeyset = new AesGcm(key).encrypt(Buffer.from('0801', 'hex'), Buffer.alloc(0));
    await expect(decryptKeyset({ encryptedKeyset: notAKeyset.toString('base64') }, kek, { identifier: 'x' })).rejects.toThrow(/keyset 'x' at key: the keyset has no keys/);
  });

  it.each([
    ['missing encryptedKeyset', { keysetInfo: { primaryKeyId: 1 } }, /at encryptedKeyset: is missing/],
    ['empty encryptedKeyset', { encryptedKeyset: '' }, /at encryptedKeyset: is empty/],
    ['not Base64', { encryptedKeyset: 'not base64!' }, /at encryptedKeyset: expected standard Base64/],
    ['unknown property', { encryptedKeyset: 'AAAA', extra: true }, /at \$: unknown property 'extra'/],
    ['bad keysetInfo', { encryptedKeyset: 'AAAA', keysetInfo: { keyInfo: [{ keyId: 'x' }] } }, /at keysetInfo.keyInfo\[0\]: unknown property|keysetInfo.keyInfo\[0\].keyId: expected an integer/],
  ])('rejects malformed encrypted JSON: %s', async (_n, json, message) => {
    await expect(decryptKeyset(json, fakeKek(), { identifier: 'e' })).rejects.toThrow(message);
  });
});
