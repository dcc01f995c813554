// One test per keyset rule of validateKeyset, through the public parsers, plus what stays allowed.

import { KeysetError } from '../../src/errors';
import { encodeKeyValue } from '../../src/keyset/key-types';
import { Keyset } from '../../src/keyset/keyset';
import { KEYSET_9, KEYSET_B, KEYSET_C_FPE, clone } from './fixtures';

type J = Record<string, any>;
const second = (j: J, patch: Record<string, unknown>): J => {
  j.key.push({ ...clone(j.key[0]), keyId: 7, ...patch });
  return j;
};
const rejects = (json: J, message: RegExp): void => {
  let error: unknown;
  try {
    Keyset.fromTinkJson(json, { identifier: 'ks1' });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(KeysetError);
  expect((error as KeysetError).code).toBe('KEYSET_INVALID');
  expect((error as Error).message).toMatch(/^keyset 'ks1' at /);
  expect((error as Error).message).toMatch(message);
  // never key bytes
  expect((error as Error).message).not.toContain(String(json.key?.[0]?.keyData?.value ?? '~').slice(0, 10));
};

describe('validateKeyset rules', () => {
  it('1. at least one key', () => rejects({ primaryKeyId: 1, key: [] }, /at key: the keyset has no keys/));

  it('2a. primaryKeyId is a uint32', () => rejects({ ...clone(KEYSET_B), primaryKeyId: 2 ** 32 }, /at primaryKeyId: 4294967296 is not a uint32/));
  it('2b. keyId is a uint32', () => rejects(((j: J) => { j.key[0].keyId = -1; return j; })(clone(KEYSET_B)), /at key\[0\].keyId: -1 is not a uint32/));

  it('3. key ids are unique', () => rejects(second(clone(KEYSET_B), { keyId: 1000000002, status: 'DISABLED' }), /at key\[1\] \(keyId 1000000002\): duplicate key id 1000000002/));

  it.each(['DESTROYED', 'UNKNOWN_STATUS', 'enabled'])('4. status %s is rejected (only ENABLED / DISABLED)', (status) =>
    rejects(second(clone(KEYSET_B), { status }), new RegExp(`at key\\[1\\] \\(keyId 7\\): status '${status}' is not allowed`)));

  it.each(['UNKNOWN_PREFIX', 'tink', 'NONE'])('5. outputPrefixType %s is rejected', (p) =>
    rejects(second(clone(KEYSET_B), { outputPrefixType: p }), new RegExp(`outputPrefixType '${p}' is not one of TINK, LEGACY, RAW, CRUNCHY`)));

  it('6. keyMaterialType must be a Tink name', () => rejects(((j: J) => { j.key[0].keyData.keyMaterialType = 'SECRET'; return j; })(clone(KEYSET_B)), /keyMaterialType 'SECRET' is unknown/));

  it('7. the type URL must be AesGcmKey, AesSivKey or the FPE key', () => rejects(
    ((j: J) => { j.key[0].keyData.typeUrl = 'type.googleapis.com/google.crypto.tink.ChaCha20Poly1305Key'; return j; })(clone(KEYSET_B)),
    /at key\[0\] \(keyId 1000000002\): unsupported key type url 'type.googleapis.com\/google.crypto.tink.ChaCha20Poly1305Key'/));

  it.each([
    ['AES-GCM 24 bytes', KEYSET_B, encodeKeyValue('AES_GCM', Buffer.alloc(24, 1)), /AesGcmKey key must be 16 or 32 bytes, got 24/],
    ['AES-SIV 32 bytes', KEYSET_9, encodeKeyValue('AES_SIV', Buffer.alloc(32, 1)), /AesSivKey key must be 64 bytes, got 32/],
    ['FPE 8 bytes', KEYSET_C_FPE, Buffer.alloc(8, 1), /FpeKey key must be 16 or 24 or 32 bytes, got 8/],
    ['AesGcmKey version 1', KEYSET_B, Buffer.concat([Buffer.from('0801', 'hex'), encodeKeyValue('AES_GCM', Buffer.alloc(16, 1))]), /version 1 is not supported/],
  ] as const)('8. key sizes: %s', (_n, fixture, value, message) =>
    rejects(((j: J) => { j.key[0].keyData.value = value.toString('base64'); return j; })(clone(fixture)), message));

  it('8. key sizes are checked for DISABLED keys too', () =>
    rejects(second(clone(KEYSET_B), { status: 'DISABLED', keyData: { ...clone(KEYSET_B.key[0]!.keyData), value: encodeKeyValue('AES_GCM', Buffer.alloc(20)).toString('base64') } }), /at key\[1\] \(keyId 7\): AesGcmKey key must be 16 or 32 bytes, got 20/));

  it('9a. the primary key must be in the keyset', () => rejects({ ...clone(KEYSET_B), primaryKeyId: 42 }, /at primaryKeyId: primary key 42 is not in the keyset/));
  it('9b. the primary key must be ENABLED', () => rejects(((j: J) => { j.key[0].status = 'DISABLED'; return j; })(clone(KEYSET_B)), /at primaryKeyId: primary key 1000000002 is DISABLED, it must be ENABLED/));

  it('allows DISABLED non-primary keys, all four prefixes, mixed key types and key id 0', () => {
    const j = clone(KEYSET_B) as J;
    second(j, { keyId: 0, status: 'DISABLED', outputPrefixType: 'LEGACY' });
    second(j, { keyId: 8, outputPrefixType: 'CRUNCHY' });
    second(j, { keyId: 9, outputPrefixType: 'RAW', keyData: clone(KEYSET_9.key[0]!.keyData) });
    expect(Keyset.fromTinkJson(j).keys.map((k) => `${k.keyId}:${k.status}:${k.outputPrefixType}`))
      .toEqual(['1000000002:ENABLED:TINK', '0:DISABLED:LEGACY', '8:ENABLED:CRUNCHY', '9:ENABLED:RAW']);
  });

  it('applies the same rules to protobuf input (status DESTROYED from Tink binary keysets)', () => {
    const k = Keyset.fromTinkJson(KEYSET_B);
    const proto = Buffer.from(k.toProto());
    // status field of the only key: 10 01 -> 10 03 (DESTROYED); it sits right before 18 <key id>
    const at = proto.indexOf(Buffer.from('100118', 'hex'));
    proto[at + 1] = 3;
    expect(() => Keyset.fromProto(proto, { identifier: 'bin' })).toThrow(/keyset 'bin' at key\[0\] \(keyId 1000000002\): status 'DESTROYED' is not allowed/);
  });
});
