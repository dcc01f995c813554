// The decrypting consumer keeps KafkaJS' own controls on a real broker: seek replays records (decrypted again),
// pause/resume stop and restart delivery, and manual commitOffsets commits exactly what the application says.
import type { Admin, Kafka } from 'kafkajs';
import type { Kryptonite } from '../../src/engine';
import { decryptingConsumer, encryptingProducer } from '../../src/kafka';
import type { TopicRule } from '../../src/record';
import { createTopics, engine, kafka, producerConfig, testKeysets, uniqueName, waitFor } from './kafka-support';

const keys = testKeysets();
let client: Kafka;
let admin: Admin;
let k: Kryptonite;

beforeAll(async () => {
  client = kafka('controls-test');
  admin = client.admin();
  await admin.connect();
  k = await engine(keys);
});

afterAll(async () => {
  await admin?.disconnect();
  await k?.close();
});

it('seek, pause/resume and commitOffsets work through the wrapper, with every delivered record decrypted', async () => {
  const topic = uniqueName('controls');
  const groupId = uniqueName('controls-group');
  await createTopics(admin, [topic]);
  const topics: TopicRule[] = [{ topic, value: { fields: [{ name: 'secret' }] } }];
  const producer = encryptingProducer(client.producer(producerConfig), { kryptonite: k, topics });
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: 10 }, (_, n) => ({ value: JSON.stringify({ n, secret: `secret-${n}` }) })) });
  await producer.disconnect();

  const consumer = decryptingConsumer(client.consumer({ groupId }), { kryptonite: k, topics });
  const seen: Array<{ n: number; secret: string; offset: string }> = [];
  let paused = false;
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ message }) => {
      const doc = JSON.parse(message.value!.toString('utf8')) as { n: number; secret: string };
      seen.push({ ...doc, offset: message.offset });
      if (doc.n === 4 && !paused) { paused = true; consumer.pause([{ topic }]); }
    },
  });
  await waitFor(() => seen.length >= 5, 30_000, 'the first five records');
  await new Promise((r) => setTimeout(r, 1500));
  expect(consumer.paused()).toEqual([{ topic, partitions: [0] }]);
  // nothing after record 4 arrives while paused
  expect(seen.map((s) => s.n)).toEqual([0, 1, 2, 3, 4]);

  await consumer.commitOffsets([{ topic, partition: 0, offset: '3' }]);
  consumer.resume([{ topic }]);
  await waitFor(() => seen.some((s) => s.n === 9), 30_000, 'the rest after resume');
  consumer.seek({ topic, partition: 0, offset: '7' });
  await waitFor(() => seen.filter((s) => s.n === 7).length === 2, 30_000, 'record 7 again after seek');
  await waitFor(() => seen.filter((s) => s.n === 9).length === 2, 30_000, 'records 8 and 9 again after seek');
  await consumer.disconnect();

  for (const s of seen) expect(s.secret).toBe(`secret-${s.n}`);
  expect(seen.filter((s) => s.n < 7).every((s, i, all) => all.findIndex((t) => t.n === s.n) === i)).toBe(true);
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  expect(committed?.partitions).toEqual([{ partition: 0, offset: '3', metadata: null }]);
});
