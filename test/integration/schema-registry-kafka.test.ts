// Schema Registry framed records (Avro, JSON Schema, Protobuf) through a real Kafka broker and a real registry:
// an encrypting producer (codec before KafkaJS send), a raw reader, and a decrypting consumer (codec after fetch).
import avro from 'avsc';
import protobuf from 'protobufjs';
import type { Kafka } from 'kafkajs';
import { SchemaRegistryCodec, readFrame, writeFrame } from '../../src/schema-registry';
import { readMessageIndexes, writeMessageIndexes } from '../../src/schema-registry/sr-wire';
import {
  PROTO_VIEW, appRegistry, containsAny, countingProxy, engine, protoRoot, registerValueSchema, registryUrl,
} from '../schema-registry/sr-support';
import { consumeUntil, createTopics, kafka, producerConfig, readRaw, uniqueName } from './kafka-support';

jest.setTimeout(180_000);

class DateType extends avro.types.LogicalType {
  override _fromValue(v: number): Date { return new Date(v); }
  override _toValue(d: unknown): number | undefined { return d instanceof Date ? d.getTime() : undefined; }
}

interface Case {
  format: 'AVRO' | 'JSON' | 'PROTOBUF';
  schema: string;
  fields: { name: string; fieldMode: 'OBJECT' | 'ELEMENT' }[];
  record(i: number): Record<string, unknown>;
  secrets(i: number): string[];
  /** Checks one raw (encrypted) record decoded under the registered encrypted schema. */
  checkRaw(raw: Record<string, any>, i: number): void;
}

const k2 = (v: unknown): boolean => typeof v === 'string' && v.startsWith('azIw');

const CASES: Case[] = [
  {
    format: 'AVRO',
    schema: JSON.stringify({ type: 'record', name: 'Patient', namespace: 'clinic', fields: [
      { name: 'id', type: 'string' },
      { name: 'born', type: { type: 'int', logicalType: 'date' } },
      { name: 'admitted', type: { type: 'long', logicalType: 'timestamp-millis' } },
      { name: 'balance', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 } },
      { name: 'severity', type: { type: 'enum', name: 'Severity', symbols: ['LOW', 'HIGH'] } },
      { name: 'contact', type: { type: 'record', name: 'Contact', fields: [{ name: 'phone', type: 'string' }, { name: 'email', type: ['null', 'string'], default: null }] } },
      { name: 'diagnoses', type: { type: 'array', items: 'string' } },
      { name: 'insurer', type: ['null', 'string'], default: null },
    ] }),
    fields: [{ name: 'born', fieldMode: 'OBJECT' }, { name: 'admitted', fieldMode: 'OBJECT' }, { name: 'balance', fieldMode: 'OBJECT' },
      { name: 'severity', fieldMode: 'OBJECT' }, { name: 'contact', fieldMode: 'ELEMENT' }, { name: 'diagnoses', fieldMode: 'ELEMENT' }, { name: 'insurer', fieldMode: 'OBJECT' }],
    record: (i) => ({
      id: `p${i}`, born: 7000 + i, admitted: new Date(1_750_000_000_000 + i * 1000), balance: Buffer.from([0x01, 0x86, 0xa0 + (i % 16)]),
      severity: i % 2 ? 'HIGH' : 'LOW', contact: { phone: `+49-555-${1000 + i}`, email: i % 2 ? `pat${i}@mail.example` : null },
      diagnoses: [`diag-alpha-${i}`, 'diag-beta'], insurer: i % 3 ? `Insurer-${i}` : null,
    }),
    secrets: (i) => [`+49-555-${1000 + i}`, `diag-alpha-${i}`, ...(i % 2 ? [`pat${i}@mail.example`] : []), ...(i % 3 ? [`Insurer-${i}`] : [])],
    checkRaw: (raw) => {
      for (const f of ['born', 'admitted', 'balance', 'severity', 'insurer']) expect(k2(raw[f])).toBe(true);
      expect(k2(raw.contact.phone) && k2(raw.contact.email)).toBe(true);
      expect(raw.diagnoses.every(k2)).toBe(true);
    },
  },
  {
    format: 'JSON',
    schema: JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: {
      id: { type: 'string' }, score: { type: 'integer' }, verified: { type: 'boolean' }, level: { type: 'string', enum: ['A', 'B'] },
      seenAt: { type: 'string', format: 'date-time' }, nick: { type: ['string', 'null'] },
      profile: { type: 'object', properties: { city: { type: 'string' }, geo: { type: 'object', properties: { lat: { type: 'number' }, lon: { type: 'number' } } } } },
      history: { type: 'array', items: { type: 'object', properties: { at: { type: 'string' }, amount: { type: 'number' } } } },
    }, required: ['id'] }),
    fields: [{ name: 'score', fieldMode: 'OBJECT' }, { name: 'verified', fieldMode: 'OBJECT' }, { name: 'level', fieldMode: 'OBJECT' },
      { name: 'seenAt', fieldMode: 'OBJECT' }, { name: 'nick', fieldMode: 'OBJECT' }, { name: 'profile.geo', fieldMode: 'OBJECT' }, { name: 'history', fieldMode: 'ELEMENT' }],
    record: (i) => ({
      id: `u${i}`, score: i * 7, verified: i % 2 === 0, level: i % 2 ? 'A' : 'B', seenAt: `2026-12-0${1 + (i % 9)}T10:00:00Z`, nick: i % 2 ? `nick-${i}` : null,
      profile: { city: 'Graz', geo: { lat: 47.07 + i / 100, lon: 15.43 } }, history: [{ at: `hist-stamp-${i}`, amount: 12.5 }],
    }),
    secrets: (i) => [`hist-stamp-${i}`, `2026-12-0${1 + (i % 9)}T10`, ...(i % 2 ? [`nick-${i}`] : [])],
    checkRaw: (raw) => {
      for (const f of ['score', 'verified', 'level', 'seenAt', 'nick']) expect(k2(raw[f])).toBe(true);
      expect(raw.profile.city).toBe('Graz');
      expect(k2(raw.profile.geo)).toBe(true);
      expect(k2(raw.history[0].at) && k2(raw.history[0].amount)).toBe(true);
    },
  },
  {
    format: 'PROTOBUF',
    schema: `syntax = "proto3";
package fleet;
import "google/protobuf/timestamp.proto";
message Trip {
  enum Kind { CITY = 0; HIGHWAY = 1; }
  string id = 1;
  Kind kind = 2;
  int64 odometer = 3;
  Driver driver = 4;
  repeated Stop stops = 5;
  optional string remark = 6;
  google.protobuf.Timestamp started = 7;
}
message Driver { string name = 1; string license = 2; }
message Stop { string place = 1; double lat = 2; }
`,
    fields: [{ name: 'kind', fieldMode: 'OBJECT' }, { name: 'odometer', fieldMode: 'OBJECT' }, { name: 'driver.license', fieldMode: 'OBJECT' },
      { name: 'stops', fieldMode: 'ELEMENT' }, { name: 'remark', fieldMode: 'OBJECT' }, { name: 'started', fieldMode: 'OBJECT' }],
    record: (i) => ({
      id: `t${i}`, kind: i % 2 ? 'HIGHWAY' : 'CITY', odometer: 9_007_199_254_740_993n + BigInt(i), driver: { name: 'Lee', license: `LIC-${i}-X` },
      stops: [{ place: `Depot ${i}`, lat: 48.2 }], ...(i % 2 ? { remark: `late-${i}` } : {}), started: { seconds: 1_760_000_000 + i, nanos: 5 },
    }),
    secrets: (i) => [`LIC-${i}-X`, `Depot ${i}`, ...(i % 2 ? [`late-${i}`] : [])],
    checkRaw: (raw, i) => {
      for (const f of ['kind', 'odometer', 'started']) expect(k2(raw[f])).toBe(true);
      expect(raw.driver.name).toBe('Lee');
      expect(k2(raw.driver.license)).toBe(true);
      expect(k2(raw.stops[0].place) && k2(raw.stops[0].lat)).toBe(true);
      if (i % 2) expect(k2(raw.remark)).toBe(true); else expect(raw.remark).toBeUndefined();
    },
  },
];


/** The application side of each format: producer encode and plain-consumer decode (the registry schema by frame id). */
function appCodec(c: Case, url: string) {
  const app = appRegistry(url, { logicalTypes: { 'timestamp-millis': DateType } });
  const schemaText = async (id: number): Promise<string> => ((await (await fetch(`${url}/schemas/ids/${id}`)).json()) as { schema: string }).schema;
  return {
    app,
    encode: async (id: number, rec: Record<string, unknown>): Promise<Buffer> => {
      if (c.format !== 'PROTOBUF') return app.encode(id, rec);
      const T = protoRoot(c.schema).lookupType('fleet.Trip');
      const plain = { ...rec, odometer: String(rec.odometer) };
      return writeFrame(id, writeMessageIndexes([0], Buffer.from(T.encode(T.fromObject(plain)).finish())));
    },
    decode: async (bytes: Buffer): Promise<Record<string, any>> => {
      if (c.format !== 'PROTOBUF') return app.decode(bytes) as Promise<Record<string, any>>;
      const frame = readFrame(bytes);
      const T = protoRoot(await schemaText(frame.schemaId)).lookupType('fleet.Trip');
      return T.toObject(T.decode(readMessageIndexes(frame.payload).message), PROTO_VIEW);
    },
    view: (rec: Record<string, unknown>): unknown => {
      if (c.format !== 'PROTOBUF') return rec;
      const T = protoRoot(c.schema).lookupType('fleet.Trip');
      return T.toObject(T.fromObject({ ...rec, odometer: String(rec.odometer) }), PROTO_VIEW);
    },
  };
}

async function runThrough(client: Kafka, topic: string, produce: Buffer[], producerCodec: SchemaRegistryCodec, consumerCodec: SchemaRegistryCodec,
  fields: Case['fields']): Promise<{ raw: Buffer[]; decrypted: Buffer[] }> {
  const producer = client.producer(producerConfig);
  await producer.connect();
  try {
    const values = await Promise.all(produce.map((b) => producerCodec.encodeEncrypted(topic, b, fields)));
    for (let i = 0; i < values.length; i += 1000) {
      await producer.send({ topic, messages: values.slice(i, i + 1000).map((value, j) => ({ key: String(i + j), value })) });
    }
  } finally {
    await producer.disconnect();
  }
  const raw = (await readRaw(client, topic, produce.length)).map((r) => r.message.value as Buffer);
  const consumer = client.consumer({ groupId: uniqueName('sr-decrypt') });
  await consumer.connect();
  const decrypted: Buffer[] = new Array(produce.length);
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const seen = await consumeUntil(consumer, produce.length, 60_000);
    await Promise.all(seen.map(async (r) => { decrypted[Number(r.message.key?.toString())] = await consumerCodec.decodeDecrypted(topic, r.message.value as Buffer); }));
  } finally {
    await consumer.disconnect();
  }
  return { raw, decrypted };
}

describe.each(CASES)('$format records through Kafka with the Schema Registry codec', (c) => {
  it('raw records are valid under the encrypted schema without plaintext; decrypted records equal the originals', async () => {
    const url = registryUrl();
    const side = appCodec(c, url);
    const client = kafka('sr-it');
    const admin = client.admin();
    await admin.connect();
    const topic = uniqueName(`sr-${c.format.toLowerCase()}`);
    await createTopics(admin, [topic]);
    await admin.disconnect();
    const id = await registerValueSchema(side.app, topic, c.format, c.schema);
    const records = Array.from({ length: 20 }, (_, i) => c.record(i));
    const produced = await Promise.all(records.map((r) => side.encode(id, r)));

    const producerCodec = new SchemaRegistryCodec({ engine: await engine(), registry: { host: url } });
    const consumerCodec = new SchemaRegistryCodec({ engine: await engine(), registry: { host: url } }); // nothing shared with the producer
    const { raw, decrypted } = await runThrough(client, topic, produced, producerCodec, consumerCodec, c.fields);

    const encryptedIds = new Set(raw.map((b) => readFrame(b).schemaId));
    expect(encryptedIds.size).toBe(1);
    expect(encryptedIds.has(id)).toBe(false);
    for (const bytes of raw) {
      const view = await side.decode(bytes); // the library validates against the schema registered under the frame's id
      const n = Number(String(view.id).slice(1));
      expect(containsAny(bytes, c.secrets(n))).toEqual([]);
      c.checkRaw(view, n);
    }
    for (const [i, bytes] of decrypted.entries()) {
      expect(readFrame(bytes).schemaId).toBe(id);
      expect(bytes.equals(produced[i] as Buffer)).toBe(true);
      expect(await side.decode(bytes)).toEqual(side.view(records[i] as Record<string, unknown>));
    }
  });
});

describe('10,000 Avro records through Kafka', () => {
  it('the registry sees a bounded number of requests on each side, counted by a proxy', async () => {
    const c = CASES[0] as Case;
    const producerProxy = await countingProxy();
    const consumerProxy = await countingProxy();
    try {
      const side = appCodec(c, registryUrl());
      const client = kafka('sr-it-10k');
      const admin = client.admin();
      await admin.connect();
      const topic = uniqueName('sr-10k');
      await createTopics(admin, [topic]);
      await admin.disconnect();
      const id = await registerValueSchema(side.app, topic, 'AVRO', c.schema);
      const produced = await Promise.all(Array.from({ length: 10_000 }, (_, i) => side.encode(id, c.record(i))));
      const producerCodec = new SchemaRegistryCodec({ engine: await engine(), registry: { host: producerProxy.url } });
      const consumerCodec = new SchemaRegistryCodec({ engine: await engine(), registry: { host: consumerProxy.url } });
      const { decrypted } = await runThrough(client, topic, produced, producerCodec, consumerCodec, c.fields);
      expect(decrypted.every((b, i) => b.equals(produced[i] as Buffer))).toBe(true);
      expect(producerProxy.requests.length).toBeLessThanOrEqual(7);
      expect(consumerProxy.requests.length).toBeLessThanOrEqual(3);
    } finally {
      await producerProxy.close();
      await consumerProxy.close();
    }
  });
});
