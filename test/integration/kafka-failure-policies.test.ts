// A record encrypted under a key the consumer lacks, on the real broker: fail stops without committing it (and a
// restarted consumer meets it again), dead-letter copies it with headers, skip moves on; eachBatch cut mid-batch.
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import type { Kryptonite } from '../../src/engine';
import { KmsError } from '../../src/errors';
import { DEAD_LETTER_HEADERS, decryptingConsumer, encryptingProducer, RecordCryptoError } from '../../src/kafka';
import type { RecordCipher } from '../../src/record';
import type { TopicRule } from '../../src/record';
import { capturedLogs, createTopics, engine, kafka, producerConfig, readRaw, testKeysets, uniqueName, waitFor, type Received } from './kafka-support';

const keys = testKeysets();
let client: Kafka;
let admin: Admin;
let writer: Kryptonite;
let reader: Kryptonite;
let dlqProducer: Producer;
const BAD = 3;
const COUNT = 7;

beforeAll(async () => {
  client = kafka('failure-test');
  admin = client.admin();
  await admin.connect();
  writer = await engine(keys);
  reader = await engine(keys, ['gcm']); // lacks 'other'
  dlqProducer = client.producer(producerConfig);
  await dlqProducer.connect();
});

afterAll(async () => {
  await dlqProducer?.disconnect();
  await admin?.disconnect();
  await writer?.close();
  await reader?.close();
});

const doc = (i: number) => ({ seq: i, email: `person${i}@example.org` });

/** A one-partition topic with COUNT records; record BAD is encrypted under the keyset the reader lacks. */
async function topicWithBadRecord(): Promise<string> {
  const topic = uniqueName('mixed');
  await createTopics(admin, [topic]);
  const good = encryptingProducer(client.producer(producerConfig), { kryptonite: writer, topics: [{ topic, value: { fields: [{ name: 'email' }] } }] });
  const bad = encryptingProducer(client.producer(producerConfig), { kryptonite: writer, topics: [{ topic, value: { fields: [{ name: 'email', keyId: 'other' }] } }] });
  await Promise.all([good.connect(), bad.connect()]);
  for (let i = 0; i < COUNT; i++) {
    await (i === BAD ? bad : good).send({ topic, messages: [{ key: `k${i}`, value: JSON.stringify(doc(i)), headers: { origin: `rec-${i}` } }] });
  }
  await Promise.all([good.disconnect(), bad.disconnect()]);
  return topic;
}

interface Run { consumer: Consumer; handled: number[]; crash: Promise<{ error: Error; restart: boolean }> }

async function startConsumer(topic: string, groupId: string, rules: TopicRule[], withProducer: boolean): Promise<Run> {
  const consumer = decryptingConsumer(client.consumer({ groupId }),
    { kryptonite: reader, topics: rules, ...(withProducer ? { producer: dlqProducer } : {}) });
  // On a busy machine KafkaJS may also crash-and-restart for broker reasons (coordinator loading); wait for ours.
  const crash = new Promise<{ error: Error; restart: boolean }>((resolve) => {
    consumer.on(consumer.events.CRASH, (e) => { if (findCryptoError(e.payload.error)) resolve({ error: e.payload.error, restart: e.payload.restart }); });
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const handled: number[] = [];
  await consumer.run({ eachMessage: async ({ message }) => { handled.push(JSON.parse(message.value!.toString()).seq); } });
  return { consumer, handled, crash };
}

async function committedOffset(groupId: string, topic: string): Promise<string | undefined> {
  const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return t?.partitions[0]?.offset;
}

/** Delivery is at least once: a consumer restarted by KafkaJS for broker reasons may see a record twice. */
function unique(list: number[]): number[] {
  return [...new Set(list)];
}

function findCryptoError(e: Error): RecordCryptoError | undefined {
  // KafkaJS wraps the thrown error; the original is its cause.
  let cur: unknown = e;
  while (cur instanceof Error && !(cur instanceof RecordCryptoError)) cur = (cur as { cause?: unknown }).cause;
  return cur instanceof RecordCryptoError ? cur : undefined;
}

function cryptoError(e: Error): RecordCryptoError {
  const found = findCryptoError(e);
  if (found === undefined) throw new Error(`crash was not caused by a RecordCryptoError: ${e.name}: ${e.message}`);
  return found;
}

describe('consumer failure policies on a real broker', () => {
  it('fail: the consumer stops before the bad record, does not commit it, and meets it again when restarted', async () => {
    const topic = await topicWithBadRecord();
    const groupId = uniqueName('g-fail');
    const rules: TopicRule[] = [{ topic, value: { fields: [{ name: 'email' }] } }];
    for (let attempt = 0; attempt < 2; attempt++) {
      const run = await startConsumer(topic, groupId, rules, false);
      const crash = await run.crash;
      expect(crash.restart).toBe(false);
      const err = cryptoError(crash.error);
      expect(err.retriable).toBe(false);
      expect(err.topic).toBe(topic);
      expect(err.offset).toBe(String(BAD));
      expect(err.fieldPath).toBe('email');
      expect(err.message).not.toContain('@example.org');
      // First run: everything before the bad record; the restarted one resumes right at it.
      expect(unique(run.handled)).toEqual(attempt === 0 ? [0, 1, 2] : []);
      expect(await committedOffset(groupId, topic)).toBe(String(BAD));
      await run.consumer.disconnect();
    }
  });

  it('dead-letter: the original bytes go to the dead-letter topic with the error headers; later records are delivered', async () => {
    const topic = await topicWithBadRecord();
    const dlq = uniqueName('dlq');
    await createTopics(admin, [dlq]);
    const groupId = uniqueName('g-dlq');
    const run = await startConsumer(topic, groupId, [{ topic, value: { fields: [{ name: 'email' }] }, onFailure: 'dead-letter', deadLetterTopic: dlq }], true);
    await waitFor(() => unique(run.handled).length >= COUNT - 1, 30_000, 'the good records');
    await run.consumer.disconnect();
    expect(unique(run.handled)).toEqual([0, 1, 2, 4, 5, 6]);
    expect(await committedOffset(groupId, topic)).toBe(String(COUNT));

    const [source] = (await readRaw(client, topic, COUNT)).filter((r) => r.message.offset === String(BAD)) as Received[];
    const [copy] = await readRaw(client, dlq, 1) as Received[];
    expect(copy!.message.value).toEqual(source!.message.value);
    expect(copy!.message.key).toEqual(source!.message.key);
    expect(copy!.message.timestamp).toBe(source!.message.timestamp);
    const h = (name: string) => copy!.message.headers?.[name]?.toString();
    expect(h('origin')).toBe(`rec-${BAD}`);
    expect(h(DEAD_LETTER_HEADERS.topic)).toBe(topic);
    expect(h(DEAD_LETTER_HEADERS.partition)).toBe('0');
    expect(h(DEAD_LETTER_HEADERS.offset)).toBe(String(BAD));
    expect(h(DEAD_LETTER_HEADERS.fieldPath)).toBe('email');
    expect(h(DEAD_LETTER_HEADERS.errorCode)).toMatch(/^[A-Z_]+$/);
    expect(h(DEAD_LETTER_HEADERS.errorMessage)).not.toContain('@example.org');
  });

  it('skip: later records are delivered, nothing is copied, the log names topic, partition and offset only', async () => {
    const topic = await topicWithBadRecord();
    const groupId = uniqueName('g-skip');
    const logsBefore = capturedLogs.length;
    const run = await startConsumer(topic, groupId, [{ topic, value: { fields: [{ name: 'email' }] }, onFailure: 'skip' }], false);
    await waitFor(() => unique(run.handled).length >= COUNT - 1, 30_000, 'the good records');
    await run.consumer.disconnect();
    expect(unique(run.handled)).toEqual([0, 1, 2, 4, 5, 6]);
    expect(await committedOffset(groupId, topic)).toBe(String(COUNT));
    const skipLog = capturedLogs.slice(logsBefore).find((l) => /Skipping/.test(l.log.message));
    expect(skipLog?.log).toMatchObject({ topic, partition: 0, offset: String(BAD), field: 'email' });
    expect(JSON.stringify(capturedLogs)).not.toContain('@example.org');
  });

  it('eachBatch with fail: records before the bad one are handled and committed, the bad one is not', async () => {
    const topic = await topicWithBadRecord();
    const groupId = uniqueName('g-batch');
    const consumer = decryptingConsumer(client.consumer({ groupId }), { kryptonite: reader, topics: [{ topic, value: { fields: [{ name: 'email' }] } }] });
    const crash = new Promise<Error>((resolve) => { consumer.on(consumer.events.CRASH, (e) => { if (findCryptoError(e.payload.error)) resolve(e.payload.error); }); });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const handled: number[] = [];
    await consumer.run({ eachBatch: async ({ batch }) => { for (const m of batch.messages) handled.push(JSON.parse(m.value!.toString()).seq); } });
    expect(cryptoError(await crash).offset).toBe(String(BAD));
    await consumer.disconnect();
    expect(unique(handled)).toEqual([0, 1, 2]);
    expect(await committedOffset(groupId, topic)).toBe(String(BAD));
  });

  it('retriable errors (a key service timing out) are retried the KafkaJS way and the record is then delivered', async () => {
    const topic = uniqueName('flaky');
    await createTopics(admin, [topic]);
    const rules: TopicRule[] = [{ topic, value: { fields: [{ name: 'email' }] }, onFailure: 'skip' }];
    const producer = encryptingProducer(client.producer(producerConfig), { kryptonite: writer, topics: rules });
    await producer.connect();
    await producer.send({ topic, messages: [0, 1, 2].map((i) => ({ value: JSON.stringify(doc(i)) })) });
    await producer.disconnect();

    let faults = 3;
    const flaky: RecordCipher = {
      encryptRecord: (r, f) => reader.encryptRecord(r, f),
      encryptValue: (v, f) => reader.encryptValue(v, f),
      decryptValue: (v, f) => reader.decryptValue(v, f),
      decryptRecord: async (r, f) => {
        if (faults > 0) { faults--; throw new KmsError('KMS_TIMEOUT', 'the key service timed out', { retriable: true }); }
        return reader.decryptRecord(r, f);
      },
    };
    const groupId = uniqueName('g-flaky');
    const consumer = decryptingConsumer(client.consumer({ groupId, retry: { initialRetryTime: 50, retries: 5 } }), { kryptonite: flaky, topics: rules });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const handled: number[] = [];
    await consumer.run({ eachMessage: async ({ message }) => { handled.push(JSON.parse(message.value!.toString()).seq); } });
    await waitFor(() => unique(handled).length >= 3, 30_000, 'the records after the retries');
    await consumer.disconnect();
    expect(faults).toBe(0);
    // Not skipped although the policy is skip: a retriable failure is retried, never handed to the policy.
    expect(unique(handled)).toEqual([0, 1, 2]);
    expect(await committedOffset(groupId, topic)).toBe('3');
  });
});
