// How often the codec talks to the registry (counted by a proxy in front of the real one), and how registry
// failures surface: unavailable → retriable, and the next record retries; rejected lookups → not retriable.
import { SchemaRegistryCodec, SchemaRegistryError, readFrame, writeFrame } from '../../src/schema-registry';
import { writeMessageIndexes } from '../../src/schema-registry/sr-wire';
import protobuf from 'protobufjs';
import { appRegistry, countingProxy, engine, registerValueSchema, uniqueTopic, type CountingProxy } from './sr-support';

const AVRO = JSON.stringify({ type: 'record', name: 'Reading', namespace: 'iot', fields: [
  { name: 'device', type: 'string' }, { name: 'value', type: 'double' }, { name: 'owner', type: { type: 'record', name: 'Owner', fields: [{ name: 'email', type: 'string' }] } },
] });
const JSON_SCHEMA = JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object',
  properties: { device: { type: 'string' }, value: { type: 'number' }, owner: { type: 'object', properties: { email: { type: 'string' } } } } });
const PROTO = 'syntax = "proto3";\npackage iot;\nmessage Reading { string device = 1; double value = 2; Owner owner = 3; }\nmessage Owner { string email = 1; }\n';
const FIELDS = [{ name: 'value', fieldMode: 'OBJECT' as const }, { name: 'owner.email', fieldMode: 'OBJECT' as const }];
const RECORDS = 10_000;

let proxy: CountingProxy;
beforeEach(async () => { proxy = await countingProxy(); });
afterEach(async () => { await proxy.close(); });

async function codecVia(url: string): Promise<SchemaRegistryCodec> {
  return new SchemaRegistryCodec({ engine: await engine(), registry: { host: url, retry: { retries: 0 } } });
}

async function produceAll(format: 'AVRO' | 'JSON' | 'PROTOBUF', topic: string): Promise<Buffer[]> {
  const app = appRegistry();
  const id = await registerValueSchema(app, topic, format, format === 'AVRO' ? AVRO : format === 'JSON' ? JSON_SCHEMA : PROTO);
  const T = protobuf.parse(PROTO, { keepCase: true }).root.lookupType('iot.Reading');
  const out: Buffer[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const rec = { device: `d${i % 7}`, value: i + 0.5, owner: { email: `u${i}@example.com` } };
    out.push(format === 'PROTOBUF'
      ? writeFrame(id, writeMessageIndexes([0], Buffer.from(T.encode(T.fromObject(rec)).finish())))
      : await app.encode(id, rec));
  }
  return out;
}

describe('registry calls are bounded per schema, not per record', () => {
  it.each(['AVRO', 'JSON', 'PROTOBUF'] as const)('%s: 10,000 records encrypt and decrypt with a handful of registry requests', async (format) => {
    const topic = uniqueTopic(`calls-${format.toLowerCase()}`);
    const produced = await produceAll(format, topic);
    const producer = await codecVia(proxy.url);
    const encrypted: Buffer[] = [];
    // Batches in parallel, as a middleware handling a KafkaJS batch would: concurrent misses share one request.
    for (let i = 0; i < produced.length; i += 500) {
      encrypted.push(...await Promise.all(produced.slice(i, i + 500).map((b) => producer.encodeEncrypted(topic, b, FIELDS))));
    }
    const producerRequests = [...proxy.requests];
    // original schema by id; per subject (encrypted, metadata by new id, metadata by original id): config + register
    expect(producerRequests).toHaveLength(7);
    expect(new Set(producerRequests).size).toBe(7);

    proxy.requests.length = 0;
    const consumer = await codecVia(proxy.url);
    const decrypted: Buffer[] = [];
    for (let i = 0; i < encrypted.length; i += 500) {
      decrypted.push(...await Promise.all(encrypted.slice(i, i + 500).map((b) => consumer.decodeDecrypted(topic, b))));
    }
    // metadata subject, encrypted schema, original schema
    expect(proxy.requests).toHaveLength(3);
    expect(decrypted.every((b, i) => b.equals(produced[i] as Buffer))).toBe(true);
    expect(new Set(encrypted.map((b) => readFrame(b).schemaId)).size).toBe(1);
  });
});

describe('registry failures', () => {
  it('an unavailable registry is a retriable error; the next attempt goes to the registry again and succeeds', async () => {
    const topic = uniqueTopic('calls-down');
    const app = appRegistry();
    const id = await registerValueSchema(app, topic, 'AVRO', AVRO);
    const bytes = await app.encode(id, { device: 'd', value: 1.5, owner: { email: 'a@b.c' } });
    const c = await codecVia(proxy.url);
    proxy.failing = true;
    const err = await c.encodeEncrypted(topic, bytes, FIELDS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaRegistryError);
    expect((err as SchemaRegistryError).retriable).toBe(true);
    expect((err as SchemaRegistryError).status).toBe(503);
    proxy.failing = false;
    const out = await c.encodeEncrypted(topic, bytes, FIELDS);
    expect(readFrame(out).schemaId).not.toBe(id);
  });

  it('a registry that cannot be reached at all is retriable too', async () => {
    const topic = uniqueTopic('calls-refused');
    const app = appRegistry();
    const id = await registerValueSchema(app, topic, 'AVRO', AVRO);
    const bytes = await app.encode(id, { device: 'd', value: 1.5, owner: { email: 'a@b.c' } });
    const url = proxy.url;
    await proxy.close();
    proxy = await countingProxy(); // for afterEach
    const err = await (await codecVia(url)).encodeEncrypted(topic, bytes, FIELDS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaRegistryError);
    expect((err as SchemaRegistryError).retriable).toBe(true);
  });

  it('an unknown schema id is rejected by the registry: not retriable', async () => {
    const c = await codecVia(proxy.url);
    const err = await c.encodeEncrypted(uniqueTopic('calls-unknown'), writeFrame(987_654_321, Buffer.from([2])), FIELDS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaRegistryError);
    expect((err as SchemaRegistryError).retriable).toBe(false);
    expect((err as SchemaRegistryError).status).toBe(404);
  });
});
