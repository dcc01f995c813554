// Two decrypting consumers in one group through a rebalance: a second member joins mid-stream, the partitions
// are split, and every record is still delivered decrypted at least once.
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import type { Kryptonite } from '../../src/engine';
import { decryptingConsumer, encryptingProducer } from '../../src/kafka';
import type { TopicRule } from '../../src/record';
import { createTopics, engine, isK2, kafka, producerConfig, readRaw, testKeysets, uniqueName, waitFor } from './kafka-support';

const keys = testKeysets();
let client: Kafka;
let admin: Admin;
let writer: Kryptonite;
let reader: Kryptonite;

beforeAll(async () => {
  client = kafka('rebalance-test');
  admin = client.admin();
  await admin.connect();
  writer = await engine(keys);
  reader = await engine(keys, ['gcm', 'siv']);
});

afterAll(async () => {
  await admin?.disconnect();
  await writer?.close();
  await reader?.close();
});

interface Member { consumer: Consumer; seen: Map<number, string>; assignments: number[][] }

async function member(groupId: string, topic: string, topics: TopicRule[]): Promise<Member> {
  const consumer = decryptingConsumer(client.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 500, rebalanceTimeout: 10_000 }), { kryptonite: reader, topics });
  const m: Member = { consumer, seen: new Map(), assignments: [] };
  consumer.on(consumer.events.GROUP_JOIN, (e) => { m.assignments.push(e.payload.memberAssignment[topic] ?? []); });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message, heartbeat }) => {
      const doc = JSON.parse(message.value!.toString('utf8'));
      m.seen.set(doc.n, doc.secret);
      await heartbeat();
    },
  });
  return m;
}

async function produce(producer: Producer, topic: string, from: number, to: number): Promise<void> {
  await producer.send({ topic, messages: Array.from({ length: to - from }, (_, i) => ({ key: `k${(from + i) % 17}`, value: JSON.stringify({ n: from + i, secret: `secret-${from + i}` }) })) });
}

it('two consumers in one group share the partitions after a rebalance and lose nothing', async () => {
  const topic = uniqueName('rebal');
  await createTopics(admin, [topic], 4);
  const topics: TopicRule[] = [{ topic, value: { fields: [{ name: 'secret' }] }, key: { whole: { algorithm: 'TINK/AES_GCM_SIV', keyId: 'siv' } } }];
  const producer = encryptingProducer(client.producer(producerConfig), { kryptonite: writer, topics });
  await producer.connect();
  const groupId = uniqueName('g');

  const a = await member(groupId, topic, topics);
  await produce(producer, topic, 0, 100);
  await waitFor(() => a.seen.size >= 100, 30_000, 'the first member to read the first half');
  expect(a.assignments.at(-1)?.length).toBe(4);

  const b = await member(groupId, topic, topics);
  await waitFor(() => b.assignments.length > 0 && a.assignments.length > 1, 30_000, 'the rebalance');
  const [aParts, bParts] = [a.assignments.at(-1) ?? [], b.assignments.at(-1) ?? []];
  expect(aParts.length).toBeGreaterThan(0);
  expect(bParts.length).toBeGreaterThan(0);
  expect([...aParts, ...bParts].sort()).toEqual([0, 1, 2, 3]);

  for (let from = 100; from < 300; from += 20) await produce(producer, topic, from, from + 20);
  const all = () => new Set([...a.seen.keys(), ...b.seen.keys()]);
  await waitFor(() => all().size >= 300, 60_000, 'all 300 records across both members');
  await producer.disconnect();
  await Promise.all([a.consumer.disconnect(), b.consumer.disconnect()]);

  expect([...all()].sort((x, y) => x - y)).toEqual(Array.from({ length: 300 }, (_, i) => i));
  for (const m of [a, b]) for (const [n, secret] of m.seen) expect(secret).toBe(`secret-${n}`);
  // The second member really consumed part of the stream after joining.
  expect([...b.seen.keys()].some((n) => n >= 100)).toBe(true);
  const raw = await readRaw(client, topic, 300);
  for (const r of raw) expect(isK2(JSON.parse(r.message.value!.toString()).secret)).toBe(true);
});
