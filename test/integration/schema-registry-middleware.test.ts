// Schema Registry topics through the KafkaJS wrappers only (encryptingProducer / decryptingConsumer with
// `value: { format, fields }` and `schemaRegistry`), against the real broker and the real registry (Apicurio):
// raw records valid under the registered encrypted schema and free of plaintext, originals back byte for byte,
// partial decryption, schema evolution with a running consumer, dead letters, registry outages, option checks.
import avro from 'avsc';
import protobuf from 'protobufjs';
import type { Admin, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { Kryptonite } from '../../src/engine';
import { ConfigError } from '../../src/errors';
import {
  DEAD_LETTER_HEADERS, RecordCryptoError, decryptingConsumer, encryptingProducer, type RecordFormat, type TopicRule,
} from '../../src/kafka';
import {
  encryptedSubject, metadataSubject, partialDecryptSubject, readFrame, readMessageIndexes, writeFrame, writeMessageIndexes,
} from '../../src/schema-registry';
import {
  PROTO_VIEW, appRegistry, containsAny, countingProxy, engine, protoRoot, registerValueSchema, registryUrl,
} from '../schema-registry/sr-support';
import { capturedLogs, consumeUntil, createTopics, kafka, producerConfig, readRaw, uniqueName, waitFor, type Received } from './kafka-support';
import { KEYSET_B } from '../keyset/fixtures';

jest.setTimeout(180_000);

class DateType extends avro.types.LogicalType {
  override _fromValue(v: number): Date { return new Date(v); }
  override _toValue(d: unknown): number | undefined { return d instanceof Date ? d.getTime() : undefined; }
}

type Rec = Record<string, any>;
type SrFormat = Exclude<RecordFormat, 'JSON'>;

interface Case {
  format: SrFormat;
  schema: string;
  fields: { name: string; fieldMode: 'OBJECT' | 'ELEMENT' }[];
  record(i: number): Rec;
  /** Plaintext that must not appear in the raw record bytes. */
  secrets(i: number): string[];
  /** Checks one raw record, decoded under the schema its frame names (the registered encrypted schema). */
  checkRaw(raw: Rec, i: number): void;
}

const k2 = (v: unknown): boolean => typeof v === 'string' && Buffer.from(v, 'base64').subarray(0, 2).toString('latin1') === 'k2';

const AVRO_ORDER = {
  type: 'record', name: 'Order', namespace: 'shop', fields: [
    { name: 'id', type: 'string' },
    { name: 'placedAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'shipDate', type: { type: 'int', logicalType: 'date' } },
    { name: 'total', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID', 'SHIPPED'] } },
    { name: 'customer', type: { type: 'record', name: 'Customer', fields: [
      { name: 'name', type: 'string' },
      { name: 'email', type: ['null', 'string'], default: null },
      { name: 'address', type: { type: 'record', name: 'Address', fields: [{ name: 'street', type: 'string' }, { name: 'city', type: 'string' }] } },
    ] } },
    { name: 'items', type: { type: 'array', items: { type: 'record', name: 'Item', fields: [{ name: 'sku', type: 'string' }, { name: 'qty', type: 'int' }] } } },
    { name: 'coupon', type: ['null', 'string'], default: null },
    { name: 'notes', type: { type: 'array', items: 'string' } },
  ],
};

const CASES: Case[] = [
  {
    format: 'AVRO',
    schema: JSON.stringify(AVRO_ORDER),
    fields: [{ name: 'placedAt', fieldMode: 'OBJECT' }, { name: 'total', fieldMode: 'OBJECT' }, { name: 'status', fieldMode: 'OBJECT' },
      { name: 'customer.email', fieldMode: 'OBJECT' }, { name: 'customer.address', fieldMode: 'OBJECT' }, { name: 'items', fieldMode: 'ELEMENT' },
      { name: 'coupon', fieldMode: 'OBJECT' }],
    record: (i) => ({
      id: `o${i}`, placedAt: new Date(1_760_000_000_000 + i * 60_000), shipDate: 20_400 + i, total: Buffer.from([0x00, 0x98, 0x96, 0x80 + (i % 64)]),
      status: (['NEW', 'PAID', 'SHIPPED'] as const)[i % 3], customer: { name: 'Ada', email: i % 2 ? `buyer${i}@shop.example` : null,
        address: { street: `${i} Secret Lane`, city: 'Vienna' } },
      items: [{ sku: `SKU-HIDDEN-${i}`, qty: i + 1 }, { sku: 'SKU-COMMON', qty: 2 }], coupon: i % 3 ? `COUPON${i}XYZ` : null, notes: ['gift'],
    }),
    secrets: (i) => [`${i} Secret Lane`, `SKU-HIDDEN-${i}`, ...(i % 2 ? [`buyer${i}@shop.example`] : []), ...(i % 3 ? [`COUPON${i}XYZ`] : [])],
    checkRaw: (raw, i) => {
      for (const f of ['placedAt', 'total', 'status']) expect(k2(raw[f])).toBe(true);
      expect(raw.shipDate).toBe(20_400 + i); // unconfigured fields keep their type and value
      expect(raw.customer.name).toBe('Ada');
      expect(k2(raw.customer.address)).toBe(true);
      expect(raw.customer.email === null ? i % 2 === 0 : k2(raw.customer.email)).toBe(true);
      // ELEMENT over an array of records: every element keeps its record shape, each of its fields a string.
      expect(raw.items).toHaveLength(2);
      expect(raw.items.every((it: Rec) => k2(it.sku) && k2(it.qty))).toBe(true);
      expect(raw.coupon === null ? i % 3 === 0 : k2(raw.coupon)).toBe(true);
      expect(raw.notes).toEqual(['gift']);
    },
  },
  {
    format: 'JSON_SR',
    schema: JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: {
      id: { type: 'string' }, tier: { type: 'string', enum: ['GOLD', 'SILVER'] }, balance: { type: 'number' }, age: { type: 'integer' },
      lastLogin: { type: 'string', format: 'date-time' }, referrer: { type: ['string', 'null'] },
      card: { type: 'object', properties: { number: { type: 'string' }, expiry: { type: 'string' } }, required: ['number'] },
      prefs: { type: 'object', properties: { newsletter: { type: 'boolean' }, lang: { type: 'string' } } },
      visits: { type: 'array', items: { type: 'integer' } },
      devices: { type: 'array', items: { type: 'object', properties: { os: { type: 'string' }, serial: { type: 'string' } } } },
    }, required: ['id', 'tier'] }),
    fields: [{ name: 'tier', fieldMode: 'OBJECT' }, { name: 'balance', fieldMode: 'OBJECT' }, { name: 'age', fieldMode: 'OBJECT' },
      { name: 'lastLogin', fieldMode: 'OBJECT' }, { name: 'referrer', fieldMode: 'OBJECT' }, { name: 'card', fieldMode: 'OBJECT' },
      { name: 'prefs.newsletter', fieldMode: 'OBJECT' }, { name: 'visits', fieldMode: 'ELEMENT' }, { name: 'devices', fieldMode: 'ELEMENT' }],
    record: (i) => ({
      id: `m${i}`, tier: i % 2 ? 'GOLD' : 'SILVER', balance: 1234.5 + i, age: 30 + i, lastLogin: `2026-11-${String(10 + (i % 9))}T08:15:00Z`,
      ...(i % 4 === 3 ? {} : { referrer: i % 2 ? `ref-${i}-partner` : null }),
      card: { number: `4111-0000-${String(1000 + i)}`, expiry: '12/29' }, prefs: { newsletter: i % 2 === 0, lang: 'de' },
      visits: [i, i * 2, 40_000 + i], devices: [{ os: 'linux', serial: `SER-${i}-QQ` }],
    }),
    secrets: (i) => [`4111-0000-${String(1000 + i)}`, `SER-${i}-QQ`, `2026-11-${String(10 + (i % 9))}T08`, ...(i % 2 && i % 4 !== 3 ? [`ref-${i}-partner`] : [])],
    checkRaw: (raw, i) => {
      for (const f of ['tier', 'balance', 'age', 'lastLogin', 'card']) expect(k2(raw[f])).toBe(true);
      if (i % 4 === 3) expect('referrer' in raw).toBe(false); else expect(k2(raw.referrer)).toBe(true);
      expect(k2(raw.prefs.newsletter)).toBe(true);
      expect(raw.prefs.lang).toBe('de');
      expect(raw.visits.every(k2)).toBe(true);
      expect(k2(raw.devices[0].os) && k2(raw.devices[0].serial)).toBe(true);
    },
  },
  {
    format: 'PROTOBUF',
    schema: `syntax = "proto3";
package bank;
import "google/protobuf/timestamp.proto";
message Transfer {
  enum Kind { SEPA = 0; INSTANT = 1; SWIFT = 2; }
  string id = 1;
  Kind kind = 2;
  int64 amount_cents = 3;
  Party payer = 4;
  repeated Leg legs = 5;
  optional string memo = 6;
  google.protobuf.Timestamp booked_at = 7;
  bytes signature = 8;
  sint32 priority = 9;
}
message Party { string name = 1; string iban = 2; }
message Leg { string bank = 1; double fee = 2; }
`,
    fields: [{ name: 'kind', fieldMode: 'OBJECT' }, { name: 'amount_cents', fieldMode: 'OBJECT' }, { name: 'payer.iban', fieldMode: 'OBJECT' },
      { name: 'legs', fieldMode: 'ELEMENT' }, { name: 'memo', fieldMode: 'OBJECT' }, { name: 'booked_at', fieldMode: 'OBJECT' },
      { name: 'signature', fieldMode: 'OBJECT' }],
    record: (i) => ({
      id: `tr${i}`, kind: (['SEPA', 'INSTANT', 'SWIFT'] as const)[i % 3], amount_cents: 9_007_199_254_740_995n + BigInt(i),
      payer: { name: 'Grace', iban: `AT61190430023457${String(3200 + i)}` }, legs: [{ bank: `BANK-CORR-${i}`, fee: 0.25 }],
      ...(i % 2 ? { memo: `rent-${i}-private` } : {}), booked_at: { seconds: 1_770_000_000 + i, nanos: 42 },
      signature: Buffer.from(`sig-bytes-${i}-secret`), priority: -(i + 1),
    }),
    secrets: (i) => [`AT61190430023457${String(3200 + i)}`, `BANK-CORR-${i}`, `sig-bytes-${i}-secret`, ...(i % 2 ? [`rent-${i}-private`] : [])],
    checkRaw: (raw, i) => {
      for (const f of ['amount_cents', 'booked_at', 'signature']) expect(k2(raw[f])).toBe(true);
      expect(k2(raw.kind)).toBe(true); // protobufjs writes a field that was set, even to its default
      expect(raw.payer.name).toBe('Grace');
      expect(k2(raw.payer.iban)).toBe(true);
      expect(k2(raw.legs[0].bank) && k2(raw.legs[0].fee)).toBe(true);
      if (i % 2) expect(k2(raw.memo)).toBe(true); else expect(raw.memo).toBeUndefined();
      expect(raw.priority).toBe(-(i + 1));
    },
  },
];

const url = (): string => registryUrl();
async function schemaText(id: number): Promise<string> {
  const res = await fetch(`${url()}/schemas/ids/${id}`);
  if (!res.ok) throw new Error(`schema id ${id}: HTTP ${res.status}`);
  return ((await res.json()) as { schema: string }).schema;
}
async function latestId(subject: string): Promise<number | undefined> {
  const res = await fetch(`${url()}/subjects/${encodeURIComponent(subject)}/versions/latest`);
  return res.ok ? ((await res.json()) as { id: number }).id : undefined;
}
async function versions(subject: string): Promise<number[]> {
  const res = await fetch(`${url()}/subjects/${encodeURIComponent(subject)}/versions`);
  return res.ok ? ((await res.json()) as number[]) : [];
}

const protoPlain = (rec: Rec): Rec => ({ ...rec, ...(rec.amount_cents !== undefined ? { amount_cents: String(rec.amount_cents) } : {}) });

/** What a producer application and a plain consumer do for each format (the registry's own schema by frame id). */
function appSide(c: Case) {
  const app = appRegistry(url(), { logicalTypes: { 'timestamp-millis': DateType } });
  return {
    app,
    encode: async (id: number, rec: Rec): Promise<Buffer> => {
      if (c.format !== 'PROTOBUF') return app.encode(id, rec);
      // @kafkajs/confluent-schema-registry 3.x writes no message indexes; Confluent framing needs them.
      const T = protoRoot(c.schema).lookupType('bank.Transfer');
      return writeFrame(id, writeMessageIndexes([0], Buffer.from(T.encode(T.fromObject(protoPlain(rec))).finish())));
    },
    /** Decodes and validates a framed record under the schema registered for its id. */
    decode: async (bytes: Buffer): Promise<Rec> => {
      if (c.format !== 'PROTOBUF') return app.decode(bytes) as Promise<Rec>;
      const frame = readFrame(bytes);
      const T = protoRoot(await schemaText(frame.schemaId)).lookupType('bank.Transfer');
      const message = T.decode(readMessageIndexes(frame.payload).message);
      expect(T.verify(message)).toBeNull();
      return T.toObject(message, PROTO_VIEW);
    },
    view: (rec: Rec): unknown => {
      if (c.format !== 'PROTOBUF') return rec;
      const T = protoRoot(c.schema).lookupType('bank.Transfer');
      return T.toObject(T.fromObject(protoPlain(rec)), PROTO_VIEW);
    },
  };
}

let client: Kafka;
let admin: Admin;
const engines: Kryptonite[] = [];
async function newEngine(extra: Record<string, unknown> = {}): Promise<Kryptonite> {
  const e = await engine(extra);
  engines.push(e);
  return e;
}

beforeAll(async () => {
  client = kafka('sr-middleware');
  admin = client.admin();
  await admin.connect();
});
afterAll(async () => {
  await admin?.disconnect();
  await Promise.all(engines.map((e) => e.close()));
});

async function newTopic(prefix: string): Promise<string> {
  const topic = uniqueName(prefix);
  await createTopics(admin, [topic]);
  return topic;
}

async function sendThrough(producer: Producer, topic: string, values: (Buffer | null)[], keyBase = 0): Promise<void> {
  await producer.connect();
  try {
    await producer.send({ topic, messages: values.map((value, i) => ({ key: String(keyBase + i), value, headers: { seq: String(keyBase + i) } })) });
  } finally {
    await producer.disconnect();
  }
}

/** Reads `count` records through a decrypting consumer with eachMessage, in offset order. */
async function consumeDecrypted(topic: string, rules: TopicRule[], count: number, registry: string = url()): Promise<Received[]> {
  const consumer = decryptingConsumer(client.consumer({ groupId: uniqueName('sr-mw') }),
    { kryptonite: await newEngine(), topics: rules, schemaRegistry: { host: registry, retry: { retries: 0 } } });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    return await consumeUntil(consumer, count, 90_000);
  } finally {
    await consumer.disconnect();
  }
}

const N = 40;

describe.each(CASES)('$format values through encryptingProducer and decryptingConsumer', (c) => {
  it('raw records are valid under the registered encrypted schema without plaintext; the consumer gets the originals byte for byte', async () => {
    const side = appSide(c);
    const topic = await newTopic(`srmw-${c.format.toLowerCase()}`);
    const id = await registerValueSchema(side.app, topic, c.format === 'JSON_SR' ? 'JSON' : c.format, c.schema);
    const records = Array.from({ length: N }, (_, i) => c.record(i));
    const produced = await Promise.all(records.map((r) => side.encode(id, r)));
    const rules: TopicRule[] = [{ topic, value: { format: c.format, fields: c.fields } }];

    // Each wrapper talks to the registry through its own counting proxy.
    const producerProxy = await countingProxy();
    const consumerProxy = await countingProxy();
    try {
      const producer = encryptingProducer(client.producer(producerConfig),
        { kryptonite: await newEngine(), topics: rules, schemaRegistry: { host: producerProxy.url } });
      await sendThrough(producer, topic, [...produced, null]); // a tombstone passes through

      const raw = await readRaw(client, topic, N + 1);
      expect(raw[N]?.message.value).toBeNull();
      const encId = readFrame(raw[0]?.message.value as Buffer).schemaId;
      expect(encId).not.toBe(id);
      expect(await latestId(encryptedSubject(topic))).toBe(encId);
      const meta = JSON.parse(await schemaText((await latestId(metadataSubject(topic, encId))) as number)) as Record<string, any>;
      expect(meta['x-kryptonite-metadata']).toMatchObject({ originalSchemaId: id, encryptedSchemaId: encId });
      for (const [i, r] of raw.slice(0, N).entries()) {
        const bytes = r.message.value as Buffer;
        expect(r.message.key?.toString()).toBe(String(i));
        expect(readFrame(bytes).schemaId).toBe(encId);
        expect(containsAny(bytes, c.secrets(i))).toEqual([]);
        c.checkRaw(await side.decode(bytes), i);
      }

      const got = await consumeDecrypted(topic, rules, N + 1, consumerProxy.url);
      for (const [i, r] of got.slice(0, N).entries()) {
        const bytes = r.message.value as Buffer;
        expect(r.message.headers?.seq?.toString()).toBe(String(i));
        expect(readFrame(bytes).schemaId).toBe(id);
        expect(bytes.equals(produced[i] as Buffer)).toBe(true);
        expect(await side.decode(bytes)).toEqual(side.view(records[i] as Rec));
      }
      expect(got[N]?.message.value).toBeNull();
      // Per schema, not per record: lookups, compatibility settings and registrations (see docs/schema-registry.md).
      expect(producerProxy.requests.length).toBeGreaterThan(0);
      expect(producerProxy.requests.length).toBeLessThanOrEqual(7);
      expect(consumerProxy.requests.length).toBeLessThanOrEqual(3);
    } finally {
      await producerProxy.close();
      await consumerProxy.close();
    }
  });
});

describe('partial decryption through the consumer', () => {
  it('a consumer listing some fields gets them back and a registered partial-decrypt schema that keeps the others strings', async () => {
    const c = CASES[0] as Case;
    const side = appSide(c);
    const topic = await newTopic('srmw-partial');
    const id = await registerValueSchema(side.app, topic, 'AVRO', c.schema);
    const records = Array.from({ length: 6 }, (_, i) => c.record(i));
    const producer = encryptingProducer(client.producer(producerConfig),
      { kryptonite: await newEngine(), topics: [{ topic, value: { format: 'AVRO', fields: c.fields } }], schemaRegistry: { host: url() } });
    await sendThrough(producer, topic, await Promise.all(records.map((r) => side.encode(id, r))));
    const encId = readFrame((await readRaw(client, topic, 1))[0]?.message.value as Buffer).schemaId;

    const some = ['status', 'customer.address'];
    const got = await consumeDecrypted(topic, [{ topic, value: { format: 'AVRO', fields: some.map((name) => ({ name })) } }], records.length);
    const partialId = await latestId(partialDecryptSubject(topic, encId, some));
    expect(partialId).toBeDefined();
    for (const [i, r] of got.entries()) {
      const bytes = r.message.value as Buffer;
      expect(readFrame(bytes).schemaId).toBe(partialId);
      const view = await side.decode(bytes);
      const original = records[i] as Rec;
      expect(view.status).toBe(original.status);
      expect(view.customer.address).toEqual(original.customer.address);
      expect(k2(view.placedAt) && k2(view.total)).toBe(true);
      expect(view.items.every((it: Rec) => k2(it.sku) && k2(it.qty))).toBe(true);
      expect(containsAny(bytes, [`SKU-HIDDEN-${i}`])).toEqual([]);
    }
  });
});

describe('schema evolution through the wrappers', () => {
  it('an added optional field: records before and after the change decrypt in one running consumer, each with its writer schema id', async () => {
    const topic = await newTopic('srmw-evolve');
    const app = appRegistry(url());
    const v1 = { type: 'record', name: 'Member', namespace: 'club', fields: [
      { name: 'id', type: 'string' }, { name: 'email', type: 'string' }, { name: 'points', type: 'int' },
      { name: 'tags', type: { type: 'array', items: 'string' } }] };
    const v2 = { ...v1, fields: [...v1.fields, { name: 'phone', type: ['null', 'string'], default: null }] };
    const put = await fetch(`${url()}/config/${encodeURIComponent(`${topic}-value`)}`, {
      method: 'PUT', headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' }, body: JSON.stringify({ compatibility: 'BACKWARD' }),
    });
    expect(put.ok).toBe(true);
    const id1 = await registerValueSchema(app, topic, 'AVRO', JSON.stringify(v1));
    const rules: TopicRule[] = [{ topic, value: { format: 'AVRO', fields: [{ name: 'email' }, { name: 'points' }, { name: 'tags', fieldMode: 'ELEMENT' }, { name: 'phone' }] } }];
    const producer = encryptingProducer(client.producer(producerConfig), { kryptonite: await newEngine(), topics: rules, schemaRegistry: { host: url() } });

    const consumer = decryptingConsumer(client.consumer({ groupId: uniqueName('sr-evolve') }),
      { kryptonite: await newEngine(), topics: rules, schemaRegistry: { host: url() } });
    const seen: KafkaMessage[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachBatch: async ({ batch }) => { seen.push(...batch.messages); } });
    try {
      await producer.connect();
      const before = Array.from({ length: 5 }, (_, i) => ({ id: `a${i}`, email: `old${i}@club.example`, points: 100 + i, tags: [`t-old-${i}`] }));
      const beforeBytes = await Promise.all(before.map((r) => app.encode(id1, r)));
      await producer.send({ topic, messages: beforeBytes.map((value) => ({ value })) });
      await waitFor(() => seen.length >= 5, 60_000, 'the records written under v1');

      const id2 = await registerValueSchema(app, topic, 'AVRO', JSON.stringify(v2));
      expect(id2).not.toBe(id1);
      const after = Array.from({ length: 5 }, (_, i) => ({
        id: `b${i}`, email: `new${i}@club.example`, points: 200 + i, tags: [`t-new-${i}`], phone: i % 2 ? `+43-66${i}-991` : null,
      }));
      const afterBytes = await Promise.all(after.map((r) => app.encode(id2, r)));
      await producer.send({ topic, messages: afterBytes.map((value) => ({ value })) });
      await waitFor(() => seen.length >= 10, 60_000, 'the records written under v2');

      const expected = [...beforeBytes, ...afterBytes];
      expect(seen.map((m) => readFrame(m.value as Buffer).schemaId)).toEqual([...before.map(() => id1), ...after.map(() => id2)]);
      seen.forEach((m, i) => expect((m.value as Buffer).equals(expected[i] as Buffer)).toBe(true));
      expect(await Promise.all(seen.map((m) => app.decode(m.value as Buffer)))).toEqual([...before, ...after]);

      const raw = await readRaw(client, topic, 10);
      const encIds = [...new Set(raw.map((r) => readFrame(r.message.value as Buffer).schemaId))];
      expect(encIds).toHaveLength(2);
      expect(await versions(encryptedSubject(topic))).toHaveLength(2);
      const secrets = [...before, ...after].map((r) => [r.email, ...r.tags, ...('phone' in r && r.phone ? [r.phone] : [])]);
      raw.forEach((r, i) => expect(containsAny(r.message.value as Buffer, secrets[i] as string[])).toEqual([]));
    } finally {
      await producer.disconnect();
      await consumer.disconnect();
    }
  });
});

describe('failures on a Schema Registry topic', () => {
  it('dead-letter: a tampered ciphertext, a value that is no frame and a JSON Schema frame on an AVRO topic go to the DLQ as sent; good and never-encrypted records are delivered', async () => {
    const c = CASES[0] as Case;
    const side = appSide(c);
    const topic = await newTopic('srmw-dlq');
    const dlq = await newTopic('srmw-dlq-dead');
    const id = await registerValueSchema(side.app, topic, 'AVRO', c.schema);
    const jsonId = await registerValueSchema(side.app, `${topic}-other`, 'JSON', CASES[1]?.schema as string);
    const fields = { format: 'AVRO' as const, fields: c.fields };
    const producer = encryptingProducer(client.producer(producerConfig), { kryptonite: await newEngine(), topics: [{ topic, value: fields }], schemaRegistry: { host: url() } });
    const plain = client.producer(producerConfig);
    await Promise.all([producer.connect(), plain.connect()]);
    const good = [c.record(0), c.record(1), c.record(2)];
    let sentBad: Buffer[];
    try {
      await producer.send({ topic, messages: [{ key: 'g0', value: await side.encode(id, good[0] as Rec) }] });
      // Tamper with one ciphertext and re-encode under the encrypted schema: a well-formed record that fails to decrypt.
      const encrypted = (await readRaw(client, topic, 1))[0]?.message.value as Buffer;
      const encView = await side.app.decode(encrypted) as Rec;
      const s = encView.coupon === null ? 'customer' : 'coupon';
      const t = Buffer.from(s === 'coupon' ? encView.coupon : encView.customer.address, 'base64');
      t[t.length - 3] = (t[t.length - 3] as number) ^ 0x01;
      if (s === 'coupon') encView.coupon = t.toString('base64'); else encView.customer.address = t.toString('base64');
      const tampered = await side.app.encode(readFrame(encrypted).schemaId, encView);
      const notAFrame = Buffer.from('{"id":"plain json"}');
      const wrongFormat = await side.app.encode(jsonId, CASES[1]?.record(0) as Rec);
      sentBad = [tampered, notAFrame, wrongFormat];
      await plain.send({ topic, messages: sentBad.map((value, i) => ({ key: `b${i}`, value, headers: { bad: String(i) } })) });
      await producer.send({ topic, messages: [{ key: 'g1', value: await side.encode(id, good[1] as Rec) }] });
      // Framed with the writer's id and never encrypted (written around the wrapper): delivered as it is.
      await plain.send({ topic, messages: [{ key: 'g2', value: await side.encode(id, good[2] as Rec) }] });
    } finally {
      await producer.disconnect();
    }

    const consumer = decryptingConsumer(client.consumer({ groupId: uniqueName('sr-dlq') }), {
      kryptonite: await newEngine(), topics: [{ topic, value: fields, onFailure: 'dead-letter', deadLetterTopic: dlq }],
      schemaRegistry: { host: url() }, producer: plain,
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const got = await consumeUntil(consumer, 3, 60_000);
      expect(got.map((r) => r.message.key?.toString())).toEqual(['g0', 'g1', 'g2']);
      for (const [i, r] of got.entries()) expect(await side.decode(r.message.value as Buffer)).toEqual(good[i]);
      const dead = await readRaw(client, dlq, 3);
      expect(dead.map((r) => r.message.key?.toString())).toEqual(['b0', 'b1', 'b2']);
      const header = (m: KafkaMessage, h: string): string | undefined => m.headers?.[h]?.toString();
      dead.forEach((r, i) => {
        expect((r.message.value as Buffer).equals(sentBad[i] as Buffer)).toBe(true);
        expect(header(r.message, 'bad')).toBe(String(i));
        expect(header(r.message, DEAD_LETTER_HEADERS.topic)).toBe(topic);
        expect(header(r.message, DEAD_LETTER_HEADERS.partition)).toBe('0');
        expect(header(r.message, DEAD_LETTER_HEADERS.offset)).toBe(String(i + 1));
      });
      const codes = dead.map((r) => header(r.message, DEAD_LETTER_HEADERS.errorCode));
      expect(codes.slice(1)).toEqual(['SR_FRAME', 'SR_FORMAT_MISMATCH']);
      expect(codes[0]).not.toMatch(/^SR_|REGISTRY/); // the engine's decryption failure, not a schema problem
      expect(['coupon', 'customer.address']).toContain(header(dead[0]?.message as KafkaMessage, DEAD_LETTER_HEADERS.fieldPath));
      expect(dead.slice(1).map((r) => header(r.message, DEAD_LETTER_HEADERS.fieldPath))).toEqual(['<value>', '<value>']);
    } finally {
      await consumer.disconnect();
      await plain.disconnect();
    }
  });

  it('registry outages are retried, on the producer by the wrapper and on the consumer by KafkaJS (even with onFailure skip)', async () => {
    const c = CASES[0] as Case;
    const side = appSide(c);
    const topic = await newTopic('srmw-outage');
    const id = await registerValueSchema(side.app, topic, 'AVRO', c.schema);
    const records = Array.from({ length: 4 }, (_, i) => c.record(i));
    const produced = await Promise.all(records.map((r) => side.encode(id, r)));
    const rules: TopicRule[] = [{ topic, value: { format: 'AVRO', fields: c.fields }, onFailure: 'skip' }];
    const proxy = await countingProxy();
    try {
      proxy.failing = true;
      const producer = encryptingProducer(client.producer(producerConfig), {
        kryptonite: await newEngine(), topics: rules, schemaRegistry: { host: proxy.url, retry: { retries: 0 } },
        retry: { initialRetryTime: 200, retries: 10, maxRetryTime: 2_000 },
      });
      const logsBefore = capturedLogs.length;
      const recover = setTimeout(() => { proxy.failing = false; }, 1_500);
      await sendThrough(producer, topic, produced);
      clearTimeout(recover);
      const retries = capturedLogs.slice(logsBefore).filter((l) => l.log.message === 'Retrying a retriable encryption failure');
      expect(retries.length).toBeGreaterThan(0);
      expect(retries.every((l) => l.log.code === 'REGISTRY_UNAVAILABLE' && l.log.field === '<value>')).toBe(true);

      proxy.failing = true;
      const failedBefore = proxy.requests.length;
      const logsAtConsume = capturedLogs.length;
      setTimeout(() => { proxy.failing = false; }, 2_000);
      const got = await consumeDecrypted(topic, rules, records.length, proxy.url);
      expect(proxy.requests.length).toBeGreaterThan(failedBefore + 1);
      const logged = capturedLogs.slice(logsAtConsume);
      expect(logged.some((l) => l.log.message?.startsWith('Retriable decryption failure') && l.log.code === 'REGISTRY_UNAVAILABLE')).toBe(true);
      expect(logged.some((l) => l.log.message?.startsWith('Skipping'))).toBe(false);
      got.forEach((r, i) => expect((r.message.value as Buffer).equals(produced[i] as Buffer)).toBe(true));
    } finally {
      proxy.failing = false;
      await proxy.close();
    }
  });

  it('the producer passes a record through unchanged when its schema has none of the configured fields', async () => {
    const topic = await newTopic('srmw-none');
    const app = appRegistry(url());
    const id = await registerValueSchema(app, topic, 'AVRO', JSON.stringify({ type: 'record', name: 'Ping', fields: [{ name: 'n', type: 'int' }] }));
    const value = await app.encode(id, { n: 7 });
    const producer = encryptingProducer(client.producer(producerConfig),
      { kryptonite: await newEngine(), topics: [{ topic, value: { format: 'AVRO', fields: [{ name: 'secret' }] } }], schemaRegistry: { host: url() } });
    await sendThrough(producer, topic, [value]);
    const [raw] = await readRaw(client, topic, 1);
    expect((raw?.message.value as Buffer).equals(value)).toBe(true);
    expect(await latestId(encryptedSubject(topic))).toBeUndefined();
  });

  it('the producer rejects a frame of another format and a string value before anything is sent', async () => {
    const topic = await newTopic('srmw-reject');
    const app = appRegistry(url());
    const jsonId = await registerValueSchema(app, `${topic}-json`, 'JSON', CASES[1]?.schema as string);
    const producer = encryptingProducer(client.producer(producerConfig),
      { kryptonite: await newEngine(), topics: [{ topic, value: { format: 'AVRO', fields: [{ name: 'tier' }] } }], schemaRegistry: { host: url() } });
    await producer.connect();
    try {
      const framed = await app.encode(jsonId, CASES[1]?.record(1) as Rec);
      const e1 = await producer.send({ topic, messages: [{ value: framed }] }).catch((e: unknown) => e);
      expect(e1).toBeInstanceOf(RecordCryptoError);
      expect(e1).toMatchObject({ code: 'SR_FORMAT_MISMATCH', retriable: false, fieldPath: '<value>', topic });
      expect((e1 as Error).message).toMatch(/schema id \d+, a JSON schema, but the topic rule's format is AVRO/);
      const e2 = await producer.send({ topic, messages: [{ value: 'GOLD' }] }).catch((e: unknown) => e);
      expect(e2).toMatchObject({ code: 'SR_VALUE_NOT_BYTES', retriable: false });
      expect((e2 as Error).message).not.toContain('GOLD');
      const offsets = await admin.fetchTopicOffsets(topic);
      expect(offsets.map((o) => o.high)).toEqual(['0']);
    } finally {
      await producer.disconnect();
    }
  });
});

describe('options', () => {
  const fake = { encryptRecord: jest.fn(), decryptRecord: jest.fn(), encryptValue: jest.fn(), decryptValue: jest.fn() };
  const problemsOf = (f: () => unknown): string[] => {
    try { f(); } catch (err) { expect(err).toBeInstanceOf(ConfigError); return [...(err as ConfigError).problems]; }
    throw new Error('no ConfigError');
  };

  it('a Schema Registry format without schemaRegistry, on a key, unknown, with whole, or on a plain cipher is a ConfigError naming the option path', async () => {
    const kryptonite = await newEngine();
    const producerProblems = problemsOf(() => encryptingProducer(client.producer(), {
      kryptonite, topics: [{ topic: 'a', value: { fields: [{ name: 'x' }] } }, { topic: 'b', value: { format: 'PROTOBUF', fields: [{ name: 'x' }] } }],
    }));
    expect(producerProblems).toEqual(["schemaRegistry: is required because topics[1].value.format is 'PROTOBUF' (give { host } or a RegistryClient)"]);

    const consumerProblems = problemsOf(() => decryptingConsumer(client.consumer({ groupId: 'unused' }), {
      kryptonite: fake, schemaRegistry: { host: 'not a url' },
      topics: [
        { topic: 'a', value: { format: 'AVRO', fields: [{ name: 'x' }] } },
        { topic: 'b', key: { format: 'JSON_SR', fields: [{ name: 'x' }] }, value: { format: 'JSON', fields: [{ name: 'y' }] } },
        { topic: 'c', value: { format: 'XML' as never, fields: [{ name: 'x' }] } },
        { topic: 'd', value: { format: 'AVRO', whole: {} } as never },
      ],
    }));
    expect(consumerProblems).toEqual(expect.arrayContaining([
      "topics[1].key.format: 'JSON_SR' applies to record values only; keys are JSON or whole",
      'topics[2].value.format: must be one of JSON, AVRO, JSON_SR, PROTOBUF',
      'topics[3].value: format applies to fields, not to whole',
      'schemaRegistry.host: is not a valid URL',
      "kryptonite.settings: is required because topics[0].value.format is 'AVRO' (pass a Kryptonite instance)",
    ]));
    expect(consumerProblems).toHaveLength(5);
  });

  it('format JSON is the plain JSON codec and needs no registry', async () => {
    const kryptonite = await Kryptonite.create({ cipher_data_keys: [{ identifier: 'keyB', material: KEYSET_B }], cipher_data_key_identifier: 'keyB' });
    engines.push(kryptonite);
    const topic = await newTopic('srmw-json');
    const producer = encryptingProducer(client.producer(producerConfig), { kryptonite, topics: [{ topic, value: { format: 'JSON', fields: [{ name: 'card' }] } }] });
    await sendThrough(producer, topic, [Buffer.from(JSON.stringify({ card: '4111-2222', id: 1 }))]);
    const [raw] = await readRaw(client, topic, 1);
    const doc = JSON.parse((raw?.message.value as Buffer).toString()) as Rec;
    expect(doc.id).toBe(1);
    expect(k2(doc.card)).toBe(true);
  });
});
