// JSON Schema records through the Schema Registry codec against the real registry.
import { readFrame } from '../../src/schema-registry';
import { SchemaMismatchError } from '../../src/schema-registry';
import { appRegistry, codec, containsAny, registerValueSchema, registryUrl, uniqueTopic } from './sr-support';

const ADDRESS = { type: 'object', properties: { street: { type: 'string' }, zip: { type: 'integer' } }, required: ['street', 'zip'] };
const SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Payment',
  type: 'object',
  properties: {
    id: { type: 'string' },
    amount: { type: 'number', minimum: 0 },
    count: { type: 'integer' },
    approved: { type: 'boolean' },
    currency: { type: 'string', enum: ['EUR', 'USD'] },
    paidAt: { type: 'string', format: 'date-time' },
    memo: { type: ['string', 'null'] },
    payer: {
      type: 'object',
      properties: { name: { type: 'string' }, iban: { type: 'string', pattern: '^[A-Z]{2}[0-9]+$' }, address: ADDRESS },
      required: ['name', 'iban'],
    },
    lines: { type: 'array', items: { type: 'object', properties: { text: { type: 'string' }, cents: { type: 'integer' } } } },
    tags: { type: 'array', items: { type: 'string' } },
    extra: { type: 'object', additionalProperties: { type: 'number' } },
  },
  required: ['id', 'amount'],
  additionalProperties: false,
};

const FIELDS = [
  { name: 'amount', fieldMode: 'OBJECT' as const },
  { name: 'count', fieldMode: 'OBJECT' as const },
  { name: 'approved', fieldMode: 'OBJECT' as const },
  { name: 'currency', fieldMode: 'OBJECT' as const },
  { name: 'paidAt', fieldMode: 'OBJECT' as const },
  { name: 'memo', fieldMode: 'OBJECT' as const },
  { name: 'payer.iban', fieldMode: 'OBJECT' as const },
  { name: 'payer.address', fieldMode: 'ELEMENT' as const },
  { name: 'lines', fieldMode: 'ELEMENT' as const },
  { name: 'tags', fieldMode: 'ELEMENT' as const },
  { name: 'extra', fieldMode: 'OBJECT' as const },
];

const payment = (i: number, memo: string | null) => ({
  id: `p-${i}`, amount: 12.5 + i, count: 3, approved: true, currency: 'EUR', paidAt: '2026-12-04T10:15:30Z', memo,
  payer: { name: 'Jane Roe', iban: `DE8937040044053201300${i}`, address: { street: 'Secret Lane 7', zip: 12345 } },
  lines: [{ text: 'confidential item', cents: 1250 }],
  tags: ['vip-secret'],
  extra: { fee: 0.5 },
});

describe('JSON Schema records through the Schema Registry codec', () => {
  it('encrypts, stays valid under the registered encrypted schema, and restores the original document and id', async () => {
    const topic = uniqueTopic('json-pay');
    const app = appRegistry();
    const originalId = await registerValueSchema(app, topic, 'JSON', JSON.stringify(SCHEMA));
    const c = await codec();
    for (const [i, memo] of [[1, 'between us'], [2, null]] as const) {
      const doc = payment(i, memo);
      const produced = await app.encode(originalId, doc);
      const encrypted = await c.encodeEncrypted(topic, produced, FIELDS);
      expect(readFrame(encrypted).schemaId).not.toBe(originalId);
      expect(containsAny(encrypted, [`DE8937040044053201300${i}`, 'Secret Lane', 'confidential item', 'vip-secret', '2026-12-04', 'between us'])).toEqual([]);
      // The library validates JSON payloads against the writer schema it fetches by id: the encrypted one.
      const raw = await app.decode(encrypted) as Record<string, any>;
      for (const f of ['amount', 'count', 'approved', 'currency', 'paidAt', 'memo', 'extra']) expect(raw[f]).toMatch(/^azIw/);
      expect(raw.payer.name).toBe('Jane Roe');
      expect(raw.payer.iban).toMatch(/^azIw/);
      expect(Object.values(raw.payer.address).every((v) => typeof v === 'string' && (v as string).startsWith('azIw'))).toBe(true);
      expect(typeof raw.lines[0].cents).toBe('string');
      const decrypted = await c.decodeDecrypted(topic, encrypted);
      expect(readFrame(decrypted).schemaId).toBe(originalId);
      expect(await app.decode(decrypted)).toEqual(doc);
    }
    const enc = await (await fetch(`${registryUrl()}/subjects/${topic}-value__k4k_enc/versions/latest`)).json() as { schema: string };
    const schema = JSON.parse(enc.schema) as { properties: Record<string, any> };
    expect(schema.properties.amount).toEqual({ type: 'string' });
    expect(schema.properties.memo).toEqual({ type: ['string', 'null'] });
    expect(schema.properties.tags).toEqual({ type: 'array', items: { type: 'string' } });
    expect(schema.properties.payer.properties.name).toEqual({ type: 'string' });
    expect(schema.properties.payer.properties.address.properties.zip).toEqual({ type: 'string' });
  });

  it('partial decrypt registers a schema in which the still-encrypted fields are strings', async () => {
    const topic = uniqueTopic('json-partial');
    const app = appRegistry();
    const originalId = await registerValueSchema(app, topic, 'JSON', JSON.stringify(SCHEMA));
    const c = await codec();
    const encrypted = await c.encodeEncrypted(topic, await app.encode(originalId, payment(3, 'x')), FIELDS);
    const partial = await c.decodeDecrypted(topic, encrypted, ['amount', 'lines']);
    const view = await app.decode(partial) as Record<string, any>;
    expect(readFrame(partial).schemaId).not.toBe(originalId);
    expect(view.amount).toBe(15.5);
    expect(view.lines).toEqual([{ text: 'confidential item', cents: 1250 }]);
    expect(view.payer.iban).toMatch(/^azIw/);
  });

  it('schema evolution: an added optional property flows through, old and new records decrypt', async () => {
    const topic = uniqueTopic('json-evolve');
    const app = appRegistry();
    // A closed content model: adding an optional property is then a backward-compatible change.
    const v1 = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', additionalProperties: false,
      properties: { name: { type: 'string' }, ssn: { type: 'string' } } };
    const v2 = { ...v1, properties: { ...v1.properties, phone: { type: 'string' } } };
    const fields = [{ name: 'ssn', fieldMode: 'OBJECT' as const }, { name: 'phone', fieldMode: 'OBJECT' as const }];
    const c = await codec();
    const id1 = await registerValueSchema(app, topic, 'JSON', JSON.stringify(v1));
    const old = await c.encodeEncrypted(topic, await app.encode(id1, { name: 'a', ssn: '111' }), fields);
    const id2 = await registerValueSchema(app, topic, 'JSON', JSON.stringify(v2));
    const neu = await c.encodeEncrypted(topic, await app.encode(id2, { name: 'b', ssn: '222', phone: '555-0100' }), fields);
    const consumer = await codec();
    expect(await app.decode(await consumer.decodeDecrypted(topic, old))).toEqual({ name: 'a', ssn: '111' });
    expect(await app.decode(await consumer.decodeDecrypted(topic, neu))).toEqual({ name: 'b', ssn: '222', phone: '555-0100' });
  });

  it('a record that breaks its schema after decryption is a non-retriable mismatch naming the path only', async () => {
    const topic = uniqueTopic('json-bad');
    const app = appRegistry();
    const id = await registerValueSchema(app, topic, 'JSON', JSON.stringify(SCHEMA));
    const c = await codec();
    // A producer that bypasses validation: amount is text, which the encrypted schema accepts but the original does not.
    const bad = Buffer.concat([Buffer.from([0, 0, 0, 0, 0]), Buffer.from(JSON.stringify({ id: 'x', amount: 'minus one secret' }))]);
    bad.writeInt32BE(id, 1);
    const encrypted = await c.encodeEncrypted(topic, bad, FIELDS);
    const err = await c.decodeDecrypted(topic, encrypted).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaMismatchError);
    expect((err as SchemaMismatchError).retriable).toBe(false);
    expect((err as Error).message).toContain('/amount');
    expect((err as Error).message).not.toContain('secret');
  });
});
