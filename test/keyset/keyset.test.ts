// Keyset model: Tink JSON and protobuf round trips, strict JSON reading with paths, and redaction.

import { inspect } from 'node:util';
import { KeysetError } from '../../src/errors';
import { generateKeyset } from '../../src/keyset/generate';
import { Keyset } from '../../src/keyset/keyset';
import { decodeKeysetInfoProto } from '../../src/keyset/keyset-proto';
import { KEYSET_9, KEYSET_A, KEYSET_B, KEYSET_C_FPE, clone } from './fixtures';

function secretsOf(keyset: Keyset): string[] {
  return keyset.keys.flatMap((k) => {
    const raw = k.rawKey();
    const value = k.keyDataValue();
    return [raw.toString('hex'), raw.toString('base64'), raw.toString('base64').slice(0, 12), value.toString('base64'), raw.toString('latin1'), raw.toString('hex').slice(0, 16)];
  });
}

function expectRedacted(text: string, keyset: Keyset): void {
  for (const s of secretsOf(keyset)) expect(text).not.toContain(s);
}

describe('Keyset', () => {
  it.each([['keyA', KEYSET_A], ['keyB', KEYSET_B], ['key9', KEYSET_9], ['keyC', KEYSET_C_FPE]])('%s: Tink JSON in = Tink JSON out; protobuf round trip', (_id, fixture) => {
    const k = Keyset.fromTinkJson(JSON.stringify(fixture));
    expect(k.toTinkJson()).toEqual(fixture);
    expect(Keyset.fromTinkJson(fixture).toTinkJson()).toEqual(fixture);
    expect(Keyset.fromProto(k.toProto()).toTinkJson()).toEqual(fixture);
  });

  it('keeps uint32 key ids above 2^31 exactly through JSON and protobuf', () => {
    const k = generateKeyset({ algorithm: 'AES_GCM', numKeys: 2, initialKeyId: 0xfffffffe });
    expect(k.keys.map((x) => x.keyId)).toEqual([0xfffffffe, 0xffffffff]);
    expect(Keyset.fromProto(k.toProto()).toTinkJson()).toEqual(k.toTinkJson());
    expect(JSON.stringify(k.toTinkJson())).toContain('"keyId":4294967295');
  });

  it('accepts key ids written as strings (proto3 JSON) and keyMaterialType absent', () => {
    const j = clone(KEYSET_B) as unknown as { primaryKeyId: unknown; key: { keyId: unknown; keyData: Record<string, unknown> }[] };
    j.primaryKeyId = '1000000002';
    j.key[0]!.keyId = '1000000002';
    delete j.key[0]!.keyData.keyMaterialType;
    const k = Keyset.fromTinkJson(j);
    expect(k.primaryKeyId).toBe(1000000002);
    expect(k.keys[0]!.keyMaterialType).toBe('UNKNOWN_KEYMATERIAL');
  });

  it('exposes the primary key, its raw bytes and the keyset info', () => {
    const k = Keyset.fromTinkJson(KEYSET_B, { identifier: 'keyB' });
    expect(k.primaryKey().keyId).toBe(1000000002);
    expect(k.primaryKey().rawKey().length).toBe(32);
    expect(k.keysetInfo()).toEqual({ primaryKeyId: 1000000002, keyInfo: [{ typeUrl: 'type.googleapis.com/google.crypto.tink.AesGcmKey', status: 'ENABLED', keyId: 1000000002, outputPrefixType: 'TINK' }] });
    expect(k.withIdentifier('other').identifier).toBe('other');
    expect(Object.isFrozen(k)).toBe(true);
  });

  describe('strict JSON reading (errors name the keyset and the JSON path)', () => {
    const cases: [string, (j: Record<string, any>) => unknown, RegExp][] = [
      ['unknown top-level property', (j) => ({ ...j, extra: 1 }), /keyset 'keyB' at \$: unknown property 'extra'/],
      ['unknown key property', (j) => { j.key[0].foo = 1; return j; }, /at key\[0\]: unknown property 'foo'/],
      ['unknown keyData property', (j) => { j.key[0].keyData.foo = 1; return j; }, /at key\[0\].keyData: unknown property 'foo'/],
      ['missing primaryKeyId', (j) => { delete j.primaryKeyId; return j; }, /at primaryKeyId: is missing/],
      ['missing key', (j) => { delete j.key; return j; }, /at key: is missing/],
      ['missing status', (j) => { delete j.key[0].status; return j; }, /at key\[0\].status: is missing/],
      ['missing keyData.value', (j) => { delete j.key[0].keyData.value; return j; }, /at key\[0\].keyData.value: is missing/],
      ['key not an array', (j) => ({ ...j, key: {} }), /at key: expected a JSON array/],
      ['keyId a float', (j) => { j.key[0].keyId = 1.5; return j; }, /at key\[0\].keyId: expected an integer/],
      ['status not a string', (j) => { j.key[0].status = 1; return j; }, /at key\[0\].status: expected a string/],
      ['URL-safe Base64', (j) => { j.key[0].keyData.value = j.key[0].keyData.value.replace(/\+/g, '-').replace(/\//g, '_') + '-'; return j; }, /at key\[0\].keyData.value: expected standard Base64/],
      ['Base64 with whitespace', (j) => { j.key[0].keyData.value = `${j.key[0].keyData.value.slice(0, 8)} ${j.key[0].keyData.value.slice(8)}`; return j; }, /expected standard Base64/],
      ['an array instead of a keyset', () => [], /at \$: expected a JSON object/],
    ];
    it.each(cases)('%s', (_name, mutate, message) => {
      const bad = mutate(clone(KEYSET_B) as Record<string, any>);
      expect(() => Keyset.fromTinkJson(bad, { identifier: 'keyB' })).toThrow(KeysetError);
      expect(() => Keyset.fromTinkJson(bad, { identifier: 'keyB' })).toThrow(message);
    });

    it('does not echo the JSON text when it does not parse', () => {
      const text = JSON.stringify(KEYSET_B).slice(0, -3);
      try {
        Keyset.fromTinkJson(text, { identifier: 'keyB' });
        throw new Error('expected failure');
      } catch (e) {
        expect(e).toBeInstanceOf(KeysetError);
        expect((e as Error).message).toBe("keyset 'keyB': material is not valid JSON");
        expect((e as KeysetError).retriable).toBe(false);
      }
    });

    it('names no keyset when no identifier is given', () => {
      expect(() => Keyset.fromTinkJson({ primaryKeyId: 1 })).toThrow(/^keyset at key: is missing$/);
    });
  });

  it('KeysetInfo protobuf round-trips and carries no key bytes', () => {
    const k = generateKeyset({ algorithm: 'AES_GCM', numKeys: 3, initialKeyId: 0xfffffff0 });
    const info = k.keysetInfoProto();
    expect(decodeKeysetInfoProto(info, {})).toEqual(k.keysetInfo());
    for (const key of k.keys) expect(info.includes(key.rawKey())).toBe(false);
  });

  it('rejects malformed protobuf with a KeysetError naming the position', () => {
    const proto = Keyset.fromTinkJson(KEYSET_B).toProto();
    expect(() => Keyset.fromProto(proto.subarray(0, 50), { identifier: 'keyB' })).toThrow(/keyset 'keyB' at Keyset: protobuf is malformed/);
    expect(() => Keyset.fromProto(Buffer.from('0a00', 'hex'))).toThrow(/Keyset.primary_key_id: field 1 has wire type 2/);
  });

  describe('redaction: String(), template literals, JSON.stringify and util.inspect never show key bytes', () => {
    const keysets = [
      Keyset.fromTinkJson(KEYSET_B, { identifier: 'keyB' }),
      Keyset.fromTinkJson(KEYSET_9, { identifier: 'key9' }),
      Keyset.fromTinkJson(KEYSET_C_FPE, { identifier: 'keyC' }),
      generateKeyset({ algorithm: 'AES_GCM', numKeys: 3, identifier: 'gen' }),
    ];
    it.each(keysets.map((k) => [k.identifier, k] as const))('%s', (_id, k) => {
      const renderings = [
        String(k), `${k}`, JSON.stringify(k), JSON.stringify({ config: { keysets: [k] } }), inspect(k), inspect({ nested: { k } }, { depth: 10 }),
        inspect(k.keys, { depth: 10, showHidden: true }), JSON.stringify(k.keys), String(k.keys[0]), inspect(k.primaryKey(), { showHidden: true }),
      ];
      for (const text of renderings) expectRedacted(text, k);
      expect(String(k)).toContain(String(k.primaryKeyId));
      expect(JSON.parse(JSON.stringify(k))).toEqual({ identifier: k.identifier, primaryKeyId: k.primaryKeyId, keys: k.keys.map((x) => x.info()) });
      expect(inspect(k)).toContain(k.keys[0]!.outputPrefixType);
      // The explicit writer does carry the material, which proves the check above looks for the right strings.
      expect(JSON.stringify(k.toTinkJson())).toContain(k.keys[0]!.keyDataValue().toString('base64'));
    });
  });
});
