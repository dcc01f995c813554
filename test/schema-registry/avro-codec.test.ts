// Avro records through the Schema Registry codec against the real registry: encrypted schema shape, raw validity,
// no plaintext on the wire, byte-exact restore with the original id, partial decrypt, evolution, errors.
import avro from 'avsc';
import { SchemaMismatchError, readFrame } from '../../src/schema-registry';
import { appRegistry, codec, containsAny, registerValueSchema, registryUrl, subjects, uniqueTopic } from './sr-support';

// Consumers see timestamps as Date objects, as an application with a logical-type-aware decoder would.
class DateType extends avro.types.LogicalType {
  override _fromValue(v: number): Date { return new Date(v); }
  override _toValue(d: unknown): number | undefined { return d instanceof Date ? d.getTime() : undefined; }
}
const withDates = { logicalTypes: { 'timestamp-millis': DateType } };

const ADDRESS = { type: 'record', name: 'Address', fields: [{ name: 'street', type: 'string' }, { name: 'zip', type: 'int' }] };
const ORDER = {
  type: 'record', name: 'Order', namespace: 'com.acme',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'amount', type: 'long' },
    { name: 'big', type: 'long' },
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    { name: 'createdAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'active', type: 'boolean' },
    { name: 'ratio', type: 'float' },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID', 'SHIPPED'] } },
    { name: 'customer', type: { type: 'record', name: 'Customer', fields: [
      { name: 'name', type: 'string' },
      { name: 'email', type: ['null', 'string'], default: null },
      { name: 'address', type: ADDRESS },
    ] } },
    { name: 'items', type: { type: 'array', items: { type: 'record', name: 'Item', fields: [{ name: 'sku', type: 'string' }, { name: 'qty', type: 'int' }] } } },
    { name: 'scores', type: { type: 'array', items: 'int' } },
    { name: 'attrs', type: { type: 'map', values: 'string' } },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'shipping', type: ['null', 'Address'], default: null },
    { name: 'uuid', type: { type: 'string', logicalType: 'uuid' } },
  ],
};

const FIELDS = [
  { name: 'amount', fieldMode: 'OBJECT' as const },
  { name: 'big', fieldMode: 'OBJECT' as const },
  { name: 'price', fieldMode: 'OBJECT' as const },
  { name: 'createdAt', fieldMode: 'OBJECT' as const },
  { name: 'active', fieldMode: 'OBJECT' as const },
  { name: 'ratio', fieldMode: 'OBJECT' as const },
  { name: 'status', fieldMode: 'OBJECT' as const },
  { name: 'customer.email', fieldMode: 'OBJECT' as const },
  { name: 'customer.address', fieldMode: 'ELEMENT' as const },
  { name: 'items', fieldMode: 'ELEMENT' as const },
  { name: 'scores', fieldMode: 'ELEMENT' as const },
  { name: 'attrs', fieldMode: 'ELEMENT' as const },
  { name: 'note', fieldMode: 'OBJECT' as const, algorithm: 'TINK/AES_GCM_SIV' as const, keyId: 'key9' },
];

function order(i: number, withOptional = true): Record<string, unknown> {
  return {
    id: `order-${i}`,
    amount: 1000 + i,
    big: 2n ** 62n + BigInt(i),
    price: Buffer.from([0x30, 0x39 + (i % 3)]),
    createdAt: new Date(1_700_000_000_000 + i),
    active: i % 2 === 0,
    ratio: 0.25 + i,
    status: ['NEW', 'PAID', 'SHIPPED'][i % 3],
    customer: { name: `Customer ${i}`, email: withOptional ? `secret.mail${i}@example.com` : null, address: { street: `Hidden Street ${i}`, zip: 10_000 + i } },
    items: [{ sku: `SKU-SECRET-${i}`, qty: 2 }, { sku: 'SKU-OTHER', qty: 7 }],
    scores: [31_337, -5],
    attrs: { color: 'ultraviolet', size: 'XL' },
    note: withOptional ? `private note ${i}` : null,
    shipping: withOptional ? { street: 'Public Road 1', zip: 99 } : null,
    uuid: '123e4567-e89b-12d3-a456-426614174000',
  };
}

const PLAINTEXTS = (i: number): string[] => [`secret.mail${i}@example.com`, `Hidden Street ${i}`, `SKU-SECRET-${i}`, 'ultraviolet', `private note ${i}`];

describe('Avro records through the Schema Registry codec', () => {
  it('encrypts configured fields, registers the encrypted schema and metadata, and restores the exact bytes', async () => {
    const url = registryUrl();
    const topic = uniqueTopic('avro-orders');
    const app = appRegistry(url, withDates);
    const originalId = await registerValueSchema(app, topic, 'AVRO', JSON.stringify(ORDER));
    const c = await codec();
    for (const i of [1, 2]) {
      const record = order(i, i === 1);
      const produced = await app.encode(originalId, record);
      const encrypted = await c.encodeEncrypted(topic, produced, FIELDS);

      const frame = readFrame(encrypted);
      expect(frame.schemaId).not.toBe(originalId);
      expect(containsAny(encrypted, PLAINTEXTS(i).slice(0, i === 1 ? 5 : 4))).toEqual([]);

      // Read raw by a plain consumer: valid under the registered encrypted schema.
      const raw = await app.decode(encrypted) as Record<string, unknown>;
      for (const f of ['amount', 'big', 'price', 'createdAt', 'active', 'ratio', 'status']) expect(raw[f]).toMatch(/^azIw/);
      const customer = raw.customer as Record<string, unknown>;
      expect(customer.name).toBe(`Customer ${i}`);
      expect(customer.email).toMatch(/^azIw/); // a null email is encrypted as well: its presence is hidden too
      expect(Object.values(customer.address as object).every((v) => typeof v === 'string' && v.startsWith('azIw'))).toBe(true);
      expect((raw.items as Record<string, unknown>[]).flatMap((it) => Object.values(it)).every((v) => typeof v === 'string' && v.startsWith('azIw'))).toBe(true);
      expect((raw.scores as unknown[]).every((v) => typeof v === 'string')).toBe(true);
      expect(Object.keys(raw.attrs as object)).toEqual(['color', 'size']);
      expect(raw.note).toMatch(/^azIwMDAz/); // SIV with key9
      expect(raw.shipping).toEqual(record.shipping);
      expect(raw.uuid).toBe(record.uuid);

      const decrypted = await c.decodeDecrypted(topic, encrypted);
      expect(readFrame(decrypted).schemaId).toBe(originalId);
      expect(decrypted.equals(produced)).toBe(true);
      expect(await app.decode(decrypted)).toEqual(record);
    }

    const enc = await (await fetch(`${url}/subjects/${topic}-value__k4k_enc/versions/latest`)).json() as { id: number; schema: string };
    const schema = JSON.parse(enc.schema) as { fields: { name: string; type: unknown }[] };
    const typeOf = (n: string): unknown => schema.fields.find((f) => f.name === n)?.type;
    expect(typeOf('amount')).toBe('string');
    expect(typeOf('note')).toEqual(['null', 'string']);
    expect(typeOf('scores')).toEqual({ type: 'array', items: 'string' });
    expect(typeOf('attrs')).toEqual({ type: 'map', values: 'string' });
    // The ELEMENT-encrypted copy of Address gets its own name; the untouched Address (used by shipping) keeps its own.
    const shipping = (typeOf('shipping') as unknown[])[1] as { name: string; fields: { type: unknown }[] };
    expect(shipping.name).toMatch(/(^|\.)Address$/);
    expect(shipping.fields.map((f) => f.type)).toEqual(['string', 'int']);
    const customer = typeOf('customer') as { fields: { name: string; type: { name: string; fields: { type: unknown }[] } }[] };
    const address = customer.fields.find((f) => f.name === 'address')?.type;
    expect(address?.name).toMatch(/Address_k4k1$/);
    expect(address?.fields.map((f) => f.type)).toEqual(['string', 'string']);
    const all = await subjects(url);
    expect(all).toEqual(expect.arrayContaining([`${topic}-value__k4k_enc`, `${topic}-value__k4k_meta_${enc.id}`, `${topic}-value__k4k_meta_${originalId}`]));
    const meta = await (await fetch(`${url}/subjects/${topic}-value__k4k_meta_${enc.id}/versions/latest`)).json() as { schema: string };
    const doc = JSON.parse(meta.schema) as { 'x-kryptonite-metadata': { originalSchemaId: number; encryptedSchemaId: number; encryptedFields: { name: string }[] } };
    expect(doc['x-kryptonite-metadata'].originalSchemaId).toBe(originalId);
    expect(doc['x-kryptonite-metadata'].encryptedSchemaId).toBe(enc.id);
    expect(doc['x-kryptonite-metadata'].encryptedFields.map((f) => f.name).sort()).toEqual(FIELDS.map((f) => f.name).sort());
  });

  it('a consumer decrypting some fields gets a registered partial schema that keeps the rest as strings', async () => {
    const topic = uniqueTopic('avro-partial');
    const app = appRegistry();
    const originalId = await registerValueSchema(app, topic, 'AVRO', JSON.stringify(ORDER));
    const c = await codec();
    const record = order(3);
    const produced = await app.encode(originalId, { ...record, createdAt: (record.createdAt as Date).getTime() });
    const encrypted = await c.encodeEncrypted(topic, produced, FIELDS);
    const partial = await c.decodeDecrypted(topic, encrypted, ['amount', 'customer.address']);
    const id = readFrame(partial).schemaId;
    expect(id).not.toBe(originalId);
    expect(id).not.toBe(readFrame(encrypted).schemaId);
    const view = await app.decode(partial) as Record<string, unknown>;
    expect(view.amount).toBe(1003);
    expect((view.customer as Record<string, unknown>).address).toEqual({ street: 'Hidden Street 3', zip: 10_003 });
    expect((view.customer as Record<string, unknown>).email).toMatch(/^azIw/);
    expect(view.big).toMatch(/^azIw/);
    expect((await subjects()).some((s) => s.startsWith(`${topic}-value__k4k_dec_`))).toBe(true);
    // the same partial view again uses the cached schema id
    expect(readFrame(await c.decodeDecrypted(topic, encrypted, ['customer.address', 'amount'])).schemaId).toBe(id);
  });

  it('a compatible writer-schema change (added optional field) flows through; old and new records both decrypt', async () => {
    const topic = uniqueTopic('avro-evolve');
    const app = appRegistry();
    const v1 = { type: 'record', name: 'User', fields: [{ name: 'name', type: 'string' }, { name: 'ssn', type: 'string' }] };
    const v2 = { ...v1, fields: [...v1.fields, { name: 'phone', type: ['null', 'string'], default: null }] };
    const id1 = await registerValueSchema(app, topic, 'AVRO', JSON.stringify(v1));
    const c = await codec();
    const fields = [{ name: 'ssn', fieldMode: 'OBJECT' as const }, { name: 'phone', fieldMode: 'OBJECT' as const }];
    const old = await c.encodeEncrypted(topic, await app.encode(id1, { name: 'a', ssn: '111-22-3333' }), fields);
    const id2 = await registerValueSchema(app, topic, 'AVRO', JSON.stringify(v2));
    expect(id2).not.toBe(id1);
    const neu = await c.encodeEncrypted(topic, await app.encode(id2, { name: 'b', ssn: '444-55-6666', phone: '+1 555 0100' }), fields);
    expect(readFrame(neu).schemaId).not.toBe(readFrame(old).schemaId);
    expect(containsAny(neu, ['444-55-6666', '+1 555 0100'])).toEqual([]);
    // a fresh consumer (no shared caches) finds everything in the registry
    const consumer = await codec();
    expect(await app.decode(await consumer.decodeDecrypted(topic, old))).toEqual({ name: 'a', ssn: '111-22-3333' });
    expect(await app.decode(await consumer.decodeDecrypted(topic, neu))).toEqual({ name: 'b', ssn: '444-55-6666', phone: '+1 555 0100' });
  });

  it('ELEMENT over a nullable container: a null container becomes one ciphertext and comes back as null', async () => {
    const topic = uniqueTopic('avro-nullable');
    const app = appRegistry();
    const schema = { type: 'record', name: 'N', fields: [{ name: 'xs', type: ['null', { type: 'array', items: 'long' }], default: null }] };
    const id = await registerValueSchema(app, topic, 'AVRO', JSON.stringify(schema));
    const c = await codec();
    for (const value of [null, [1, 2n ** 60n], []]) {
      const produced = await app.encode(id, { xs: value });
      const encrypted = await c.encodeEncrypted(topic, produced, [{ name: 'xs', fieldMode: 'ELEMENT' }]);
      const raw = await app.decode(encrypted) as { xs: unknown };
      if (value === null) expect(raw.xs).toMatch(/^azIw/);
      else expect(raw.xs).toEqual(value.map(() => expect.stringMatching(/^azIw/)));
      const back = await c.decodeDecrypted(topic, encrypted);
      expect(back.equals(produced)).toBe(true);
    }
  });

  it('passes records through when no configured field is in the schema, and unencrypted ids on decrypt', async () => {
    const topic = uniqueTopic('avro-pass');
    const app = appRegistry();
    const id = await registerValueSchema(app, topic, 'AVRO', JSON.stringify({ type: 'record', name: 'P', fields: [{ name: 'a', type: 'int' }] }));
    const c = await codec();
    const bytes = await app.encode(id, { a: 5 });
    expect((await c.encodeEncrypted(topic, bytes, [{ name: 'missing' }])).equals(bytes)).toBe(true);
    expect((await c.decodeDecrypted(topic, bytes)).equals(bytes)).toBe(true);
    expect(await c.encodeEncrypted(topic, Buffer.alloc(0), [{ name: 'a' }])).toEqual(Buffer.alloc(0));
  });

  it('schema mismatches are not retriable and never echo field values', async () => {
    const topic = uniqueTopic('avro-bad');
    const app = appRegistry();
    const id = await registerValueSchema(app, topic, 'AVRO', JSON.stringify({ type: 'record', name: 'B', fields: [{ name: 'a', type: 'string' }] }));
    const c = await codec();
    const bytes = await app.encode(id, { a: 'top secret value' });
    const truncated = bytes.subarray(0, 7);
    const err = await c.encodeEncrypted(topic, truncated, [{ name: 'a' }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaMismatchError);
    expect((err as SchemaMismatchError).retriable).toBe(false);
    const notFramed = await c.encodeEncrypted(topic, Buffer.from('{"a":"top secret value"}'), [{ name: 'a' }]).catch((e: unknown) => e);
    expect(notFramed).toBeInstanceOf(SchemaMismatchError);
    expect(String((notFramed as Error).message)).not.toContain('top secret');
    const deriveErr = await c.encodeEncrypted(topic, bytes, [{ name: 'a.b' }]).then(() => 'passed', (e: unknown) => e);
    expect(deriveErr).toBe('passed'); // a path below a string simply does not exist in the schema
  });
});
