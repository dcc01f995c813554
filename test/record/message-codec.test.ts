import { KryptoniteError, SerdeError } from '../../src/errors';
import { compileTopicRules, decryptMessage, decryptPart, encryptMessage, encryptPart, type CompiledPart } from '../../src/record';
import { FakeRecordCipher } from './fake-record-cipher';

const cipher = new FakeRecordCipher(['k1', 'k2']);
const fieldsPart: CompiledPart = { kind: 'fields', fields: [{ name: 'email' }, { name: 'card.number' }] };
const wholePart: CompiledPart = { kind: 'whole', field: { name: '<value>' } };
const order = { id: 7, email: 'ann@example.com', card: { number: '4111111111111111', exp: '12/30' }, note: null };

describe('encryptPart / decryptPart with JSON fields', () => {
  it('keeps the string form, encrypts only the configured fields and round-trips', async () => {
    const text = JSON.stringify(order);
    const enc = await encryptPart(cipher, text, fieldsPart, 'value');
    expect(typeof enc).toBe('string');
    const doc = JSON.parse(enc as string) as Record<string, unknown>;
    expect(doc.id).toBe(7);
    expect(doc.note).toBeNull();
    expect((doc.card as Record<string, unknown>).exp).toBe('12/30');
    expect(doc.email).toMatch(/^k2~k1~/);
    expect(enc).not.toContain('ann@example.com');
    expect(enc).not.toContain('4111111111111111');
    expect(JSON.parse(await decryptPart(cipher, enc, fieldsPart, 'value') as string)).toEqual(order);
  });

  it('keeps the Buffer form', async () => {
    const enc = await encryptPart(cipher, Buffer.from(JSON.stringify(order)), fieldsPart, 'value');
    expect(Buffer.isBuffer(enc)).toBe(true);
    const dec = await decryptPart(cipher, enc, fieldsPart, 'value');
    expect(Buffer.isBuffer(dec)).toBe(true);
    expect(JSON.parse((dec as Buffer).toString('utf8'))).toEqual(order);
  });

  it('passes null, undefined and empty parts through', async () => {
    for (const p of [null, undefined, '', Buffer.alloc(0)]) {
      expect(await encryptPart(cipher, p, fieldsPart, 'value')).toBe(p);
      expect(await decryptPart(cipher, p, fieldsPart, 'value')).toBe(p);
    }
  });

  it('rejects values that are not JSON objects, naming the part and not the data', async () => {
    const err = await encryptPart(cipher, 'secret-not-json', fieldsPart, 'value').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SerdeError);
    expect((err as SerdeError).code).toBe('RECORD_NOT_JSON');
    expect((err as SerdeError).fieldPath).toBe('<value>');
    expect(String((err as Error).message)).not.toContain('secret');
    const arr = await decryptPart(cipher, Buffer.from('[1,2]'), fieldsPart, 'key').catch((e: unknown) => e);
    expect((arr as SerdeError).code).toBe('RECORD_NOT_JSON_OBJECT');
    expect((arr as SerdeError).fieldPath).toBe('<key>');
  });

  it('keeps the engine error code and field path', async () => {
    const enc = await encryptPart(cipher, JSON.stringify(order), fieldsPart, 'value');
    const lacking = new FakeRecordCipher(['k2']);
    const err = await decryptPart(lacking, enc, fieldsPart, 'value').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KryptoniteError);
    expect((err as KryptoniteError).code).toBe('KEY_NOT_FOUND');
    expect((err as KryptoniteError).fieldPath).toBe('email');
    expect((err as KryptoniteError).retriable).toBe(false);
  });

  it('labels errors without a field path with the part, and wraps foreign errors without their text', async () => {
    const broken = { ...cipher, encryptRecord: () => Promise.reject(new Error('plaintext ann@example.com leaked')) } as unknown as FakeRecordCipher;
    const err = await encryptPart(broken, JSON.stringify(order), fieldsPart, 'value').catch((e: unknown) => e) as KryptoniteError;
    expect(err.code).toBe('ENCRYPT_FAILED');
    expect(err.fieldPath).toBe('<value>');
    expect(err.message).not.toContain('ann@');
    const one = await encryptPart(broken, JSON.stringify(order), { kind: 'fields', fields: [{ name: 'email' }] }, 'value').catch((e: unknown) => e) as KryptoniteError;
    expect(one.fieldPath).toBe('email'); // the only configured field is the only candidate
  });
});

describe('encryptPart / decryptPart with whole parts', () => {
  it('encrypts non-JSON text as one field and gives it back as bytes from a Buffer', async () => {
    const enc = await encryptPart(cipher, 'plain text value', wholePart, 'value');
    expect(enc).toMatch(/^k2~k1~/);
    const fromWire = await decryptPart(cipher, Buffer.from(enc as string), wholePart, 'value');
    expect(Buffer.isBuffer(fromWire)).toBe(true);
    expect((fromWire as Buffer).toString('utf8')).toBe('plain text value');
  });

  it('encrypts bytes as bytes', async () => {
    const bytes = Buffer.from([0, 255, 1, 254, 10]);
    const enc = await encryptPart(cipher, bytes, wholePart, 'value');
    expect(Buffer.isBuffer(enc)).toBe(true);
    expect((enc as Buffer).includes(bytes)).toBe(false);
    expect(await decryptPart(cipher, enc, wholePart, 'value')).toEqual(bytes);
  });
});

describe('encryptMessage / decryptMessage', () => {
  const [rule] = compileTopicRules([{ topic: 't', value: { fields: [{ name: 'email' }] }, key: { whole: { keyId: 'k2' } } }]).rules;

  it('transforms key and value and leaves headers, partition and timestamp alone', async () => {
    const message = { key: 'customer-1', value: JSON.stringify({ email: 'x@y.z' }), headers: { h: 'v' }, partition: 2, timestamp: '5' };
    const enc = await encryptMessage(cipher, rule!, message);
    expect(enc.key).toMatch(/^k2~k2~/);
    expect(enc.headers).toBe(message.headers);
    expect(enc.partition).toBe(2);
    expect(enc.timestamp).toBe('5');
    expect(message.key).toBe('customer-1'); // the caller's message is not modified
    const wire = { ...enc, key: Buffer.from(enc.key as string), value: Buffer.from(enc.value as string), offset: '3' };
    const dec = await decryptMessage(cipher, rule!, wire);
    expect((dec.key as Buffer).toString()).toBe('customer-1');
    expect(JSON.parse((dec.value as Buffer).toString())).toEqual({ email: 'x@y.z' });
    expect(dec.offset).toBe('3');
  });

  it('passes tombstones through and adds no key to a keyless message', async () => {
    const enc = await encryptMessage(cipher, rule!, { value: null });
    expect(enc).toEqual({ value: null });
    expect('key' in enc).toBe(false);
  });
});

describe('JSON values with 64-bit integers', () => {
  it('keep integers beyond 2^53 exact in fields that are not encrypted, and in decrypted ones', async () => {
    const { Kryptonite } = await import('../../src/engine');
    const { compileTopicRules } = await import('../../src/record/topic-rules');
    const { encryptPart, decryptPart } = await import('../../src/record/message-codec');
    const { KEYSET_B } = await import('../keyset/fixtures');
    const k = await Kryptonite.create({ cipher_data_keys: [{ identifier: 'b', material: KEYSET_B }], cipher_data_key_identifier: 'b' });
    const rule = compileTopicRules([{ topic: 't', value: { fields: [{ name: 'secret' }] } }]).route('t')!.value!;
    const text = '{"id":12345678901234567890,"big":-9223372036854775808,"secret":9007199254740993,"f":1.5}';
    const enc = await encryptPart(k, text, rule, 'value') as string;
    expect(enc).toContain('"id":12345678901234567890');
    expect(enc).toContain('"big":-9223372036854775808');
    expect(enc).not.toContain('9007199254740993');
    expect(await decryptPart(k, enc, rule, 'value')).toBe(text);
    // beyond the Java long range an encrypted integer is refused, not rounded
    await expect(encryptPart(k, '{"secret":92233720368547758070}', rule, 'value')).rejects.toThrow(/long range|out of range/);
    const whole = compileTopicRules([{ topic: 't', value: { whole: {} } }]).route('t')!.value!;
    const w = await encryptPart(k, '9223372036854775807', whole, 'value');
    expect(await decryptPart(k, w, whole, 'value')).toBe('9223372036854775807');
  });
});
