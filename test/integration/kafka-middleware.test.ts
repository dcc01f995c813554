// The middleware against the real broker: what lands on the topic, what the handler sees, key partitioning,
// eachBatch and transactions.
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Kryptonite } from '../../src/engine';
import { decryptingConsumer, encryptingProducer } from '../../src/kafka';
import type { TopicRule } from '../../src/record';
import {
  capturedLogs, consumeUntil, createTopics, engine, isK2, kafka, producerConfig, readRaw, testKeysets, uniqueName, waitFor, type Received,
} from './kafka-support';

const keys = testKeysets();
let client: Kafka;
let admin: Admin;
let writer: Kryptonite;
let reader: Kryptonite;
let plainProducer: Producer;

beforeAll(async () => {
  client = kafka('middleware-test');
  admin = client.admin();
  await admin.connect();
  writer = await engine(keys);
  reader = await engine(keys, ['gcm', 'siv']);
  plainProducer = client.producer(producerConfig);
  await plainProducer.connect();
});

afterAll(async () => {
  await plainProducer?.disconnect();
  await admin?.disconnect();
  await writer?.close();
  await reader?.close();
});

function order(i: number) {
  return { id: i, customer: { name: `Customer ${i}`, email: `customer${i}.secret@example.com` }, card: `4000-1234-5678-${String(9000 + i)}`, total: i * 10.5 };
}

function secretsOf(i: number): string[] {
  return [`customer${i}.secret@example.com`, `4000-1234-5678-${String(9000 + i)}`];
}

function allBytes(r: Received): Buffer {
  const headers = Object.entries(r.message.headers ?? {}).flatMap(([k, v]) => [Buffer.from(k), ...[v].flat().map((x) => Buffer.from(x ?? ''))]);
  return Buffer.concat([r.message.key ?? Buffer.alloc(0), r.message.value ?? Buffer.alloc(0), ...headers]);
}

describe('encrypting producer and decrypting consumer on a real broker', () => {
  it('writes k2 ciphertext for configured fields only, and the handler sees the original records', async () => {
    const jsonTopic = uniqueName('orders');
    const wholeTopic = uniqueName('notes');
    await createTopics(admin, [jsonTopic, wholeTopic]);
    const topics: TopicRule[] = [
      { topic: jsonTopic, value: { fields: [{ name: 'customer.email' }, { name: 'card' }] } },
      { topic: new RegExp(`${wholeTopic.replace(/[-]/g, '\\-')}`), value: { whole: {} } },
    ];
    const producer = encryptingProducer(client.producer(producerConfig), { kryptonite: writer, topics });
    await producer.connect();
    const N = 6;
    await producer.send({
      topic: jsonTopic,
      messages: [
        ...Array.from({ length: N }, (_, i) => ({
          key: `order-${i}`,
          value: i % 2 === 0 ? JSON.stringify(order(i)) : Buffer.from(JSON.stringify(order(i))),
          headers: { source: 'test', seq: String(i) },
        })),
        { key: 'order-gone', value: null, headers: { source: 'test' } },
      ],
    });
    const binary = Buffer.from([0, 1, 2, 250, 251, 252, 0x73, 0x65, 0x63]);
    await producer.send({ topic: wholeTopic, messages: [{ value: 'free text: the secret phrase 42' }, { value: binary }] });
    await producer.disconnect();

    const raw = await readRaw(client, jsonTopic, N + 1);
    raw.sort((a, b) => Number(a.message.offset) - Number(b.message.offset));
    for (let i = 0; i < N; i++) {
      const rec = raw[i] as Received;
      const doc = JSON.parse(rec.message.value!.toString('utf8'));
      expect(isK2(doc.customer.email)).toBe(true);
      expect(isK2(doc.card)).toBe(true);
      expect(doc.id).toBe(i);
      expect(doc.customer.name).toBe(`Customer ${i}`);
      expect(doc.total).toBe(i * 10.5);
      expect(rec.message.key?.toString()).toBe(`order-${i}`);
      expect(rec.message.headers?.seq?.toString()).toBe(String(i));
    }
    const tombstone = raw[N] as Received;
    expect(tombstone.message.value).toBeNull();
    expect(tombstone.message.key?.toString()).toBe('order-gone');
    const everything = Buffer.concat(raw.map(allBytes));
    for (let i = 0; i < N; i++) for (const s of secretsOf(i)) expect(everything.includes(Buffer.from(s))).toBe(false);

    const rawWhole = await readRaw(client, wholeTopic, 2);
    rawWhole.sort((a, b) => Number(a.message.offset) - Number(b.message.offset));
    for (const r of rawWhole) expect(isK2(r.message.value!.toString('utf8'))).toBe(true);
    expect(Buffer.concat(rawWhole.map(allBytes)).includes(Buffer.from('secret phrase'))).toBe(false);
    expect(Buffer.concat(rawWhole.map(allBytes)).includes(binary)).toBe(false);

    const consumer = decryptingConsumer(client.consumer({ groupId: uniqueName('g') }), { kryptonite: reader, topics });
    await consumer.connect();
    await consumer.subscribe({ topics: [jsonTopic, wholeTopic], fromBeginning: true });
    const seen = await consumeUntil(consumer, N + 3);
    await consumer.disconnect();
    const json = seen.filter((r) => r.topic === jsonTopic).sort((a, b) => Number(a.message.offset) - Number(b.message.offset));
    for (let i = 0; i < N; i++) {
      expect(JSON.parse(json[i]!.message.value!.toString('utf8'))).toEqual(order(i));
      expect(json[i]!.message.headers?.source?.toString()).toBe('test');
    }
    expect(json[N]!.message.value).toBeNull();
    const whole = seen.filter((r) => r.topic === wholeTopic).sort((a, b) => Number(a.message.offset) - Number(b.message.offset));
    expect(whole[0]!.message.value!.toString('utf8')).toBe('free text: the secret phrase 42');
    expect(whole[1]!.message.value).toEqual(binary);

    const logText = JSON.stringify(capturedLogs);
    for (let i = 0; i < N; i++) for (const s of secretsOf(i)) expect(logText).not.toContain(s);
    expect(logText).not.toContain('secret phrase');
  });

  it('deterministic key encryption keeps each key on one partition, in order, across 3 partitions', async () => {
    const topic = uniqueName('keyed');
    await createTopics(admin, [topic], 3);
    const topics: TopicRule[] = [{
      topic,
      key: { whole: { algorithm: 'TINK/AES_GCM_SIV', keyId: 'siv' } },
      value: { fields: [{ name: 'secret' }] },
    }];
    const producer = encryptingProducer(client.producer(producerConfig), { kryptonite: writer, topics });
    await producer.connect();
    const KEYS = 10;
    const ROUNDS = 12;
    for (let round = 0; round < ROUNDS; round++) {
      // Several sends, keys interleaved, so that per-key order is a property of partitioning, not of one batch.
      await producer.send({ topic, messages: Array.from({ length: KEYS }, (_, k) => ({ key: `customer-${k}`, value: JSON.stringify({ seq: round, secret: `s-${k}-${round}` }) })) });
    }
    await producer.disconnect();
    const total = KEYS * ROUNDS;

    const raw = await readRaw(client, topic, total);
    const partitionsByCipherKey = new Map<string, Set<number>>();
    for (const r of raw) {
      const k = r.message.key!.toString('utf8');
      expect(isK2(k)).toBe(true);
      expect(k).not.toContain('customer-');
      partitionsByCipherKey.set(k, (partitionsByCipherKey.get(k) ?? new Set()).add(r.partition));
    }
    expect(partitionsByCipherKey.size).toBe(KEYS); // equal plaintext keys, equal ciphertext
    for (const parts of partitionsByCipherKey.values()) expect(parts.size).toBe(1);
    expect(new Set(raw.map((r) => r.partition)).size).toBeGreaterThan(1);

    const consumer = decryptingConsumer(client.consumer({ groupId: uniqueName('g') }), { kryptonite: reader, topics });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const seen = await consumeUntil(consumer, total);
    await consumer.disconnect();
    const perKey = new Map<string, { partitions: Set<number>; seqs: number[] }>();
    for (const r of seen) {
      const key = r.message.key!.toString('utf8');
      const doc = JSON.parse(r.message.value!.toString('utf8'));
      expect(doc.secret).toBe(`s-${key.slice('customer-'.length)}-${doc.seq}`);
      const e = perKey.get(key) ?? { partitions: new Set<number>(), seqs: [] };
      e.partitions.add(r.partition);
      e.seqs.push(doc.seq);
      perKey.set(key, e);
    }
    expect([...perKey.keys()].sort()).toEqual(Array.from({ length: KEYS }, (_, k) => `customer-${k}`).sort());
    for (const { partitions, seqs } of perKey.values()) {
      expect(partitions.size).toBe(1);
      expect(seqs).toEqual(Array.from({ length: ROUNDS }, (_, i) => i));
    }
  });

  it('eachBatch hands over decrypted batches and commits to the end', async () => {
    const topic = uniqueName('batched');
    await createTopics(admin, [topic]);
    const topics: TopicRule[] = [{ topic, value: { fields: [{ name: 'customer.email' }, { name: 'card' }] } }];
    const producer = encryptingProducer(client.producer(producerConfig), { kryptonite: writer, topics });
    await producer.connect();
    const N = 40;
    await producer.sendBatch({ topicMessages: [{ topic, messages: Array.from({ length: N }, (_, i) => ({ value: JSON.stringify(order(i)) })) }] });
    await producer.disconnect();

    const groupId = uniqueName('g');
    const consumer = decryptingConsumer(client.consumer({ groupId }), { kryptonite: reader, topics });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const got: unknown[] = [];
    let batches = 0;
    await consumer.run({
      eachBatch: async ({ batch, heartbeat }) => {
        batches++;
        for (const m of batch.messages) got.push(JSON.parse(m.value!.toString('utf8')));
        await heartbeat();
      },
    });
    await waitFor(() => got.length >= N, 30_000, `${N} records through eachBatch`);
    await consumer.disconnect(); // commits what was resolved
    expect(got).toEqual(Array.from({ length: N }, (_, i) => order(i)));
    expect(batches).toBeGreaterThan(0);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed?.partitions[0]?.offset).toBe(String(N));
  });

  it('transactional sends are encrypted; only committed transactions reach the consumer', async () => {
    const topic = uniqueName('tx');
    await createTopics(admin, [topic]);
    const topics: TopicRule[] = [{ topic, value: { fields: [{ name: 'customer.email' }, { name: 'card' }] } }];
    const producer = encryptingProducer(
      client.producer({ ...producerConfig, transactionalId: uniqueName('tx-id'), idempotent: true, maxInFlightRequests: 1 }),
      { kryptonite: writer, topics });
    await producer.connect();
    const committed = await producer.transaction();
    await committed.send({ topic, messages: [0, 1, 2].map((i) => ({ value: JSON.stringify(order(i)) })) });
    await committed.sendBatch({ topicMessages: [{ topic, messages: [{ value: JSON.stringify(order(3)) }] }] });
    await committed.commit();
    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ value: JSON.stringify(order(100)) }] });
    await aborted.abort();
    const last = await producer.transaction();
    await last.send({ topic, messages: [{ value: JSON.stringify(order(4)) }] });
    await last.commit();
    await producer.disconnect();

    const raw = await readRaw(client, topic, 5);
    for (const r of raw) expect(isK2(JSON.parse(r.message.value!.toString()).card)).toBe(true);

    const consumer = decryptingConsumer(client.consumer({ groupId: uniqueName('g') }), { kryptonite: reader, topics });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const seen = await consumeUntil(consumer, 5);
    // Give an aborted record the chance to show up if read_committed were not honoured.
    await new Promise((r) => setTimeout(r, 500));
    await consumer.disconnect();
    expect(seen.map((r) => JSON.parse(r.message.value!.toString()))).toEqual([0, 1, 2, 3, 4].map(order));
  });
});
