import type { EachMessagePayload, KafkaMessage } from 'kafkajs';
import { ConfigError, KryptoniteError } from '../../src/errors';
import { DEAD_LETTER_HEADERS, decryptingConsumer, encryptingProducer, RecordCryptoError } from '../../src/kafka';
import type { TopicRule } from '../../src/record';
import { FakeRecordCipher } from '../record/fake-record-cipher';
import { fakeConsumer, fakeProducer, kafkaMessage, type LogEntry } from './fake-clients';

const writer = new FakeRecordCipher(['k1', 'lost']);
const rule = (extra: Partial<TopicRule> = {}): TopicRule => ({ topic: 'orders', value: { fields: [{ name: 'email' }] }, ...extra });

async function encrypted(i: number, keyId = 'k1'): Promise<Buffer> {
  const doc = await writer.encryptRecord({ id: i, email: `user${i}@example.com` }, [{ name: 'email', keyId }]);
  return Buffer.from(JSON.stringify(doc));
}

function messagePayload(topic: string, message: KafkaMessage): EachMessagePayload {
  return { topic, partition: 0, message, heartbeat: async () => undefined, pause: () => () => undefined };
}

async function installed(rules: TopicRule[], withProducer = false, logs: LogEntry[] = []) {
  const c = fakeConsumer(logs);
  const dlq = fakeProducer();
  const handled: KafkaMessage[] = [];
  const consumer = decryptingConsumer(c.consumer, { kryptonite: new FakeRecordCipher(['k1']), topics: rules, ...(withProducer ? { producer: dlq.producer } : {}) });
  await consumer.run({ eachMessage: async ({ message }) => { handled.push(message); } });
  const eachMessage = c.config()?.eachMessage;
  if (eachMessage === undefined) throw new Error('run() did not install eachMessage');
  return { eachMessage, handled, dlq, c, consumer };
}

describe('decryptingConsumer eachMessage', () => {
  it('hands the handler decrypted records and leaves other topics alone', async () => {
    const { eachMessage, handled } = await installed([rule()]);
    await eachMessage(messagePayload('orders', kafkaMessage(0, await encrypted(0))));
    const raw = kafkaMessage(1, await encrypted(1));
    await eachMessage(messagePayload('plain', raw));
    expect(JSON.parse(handled[0]?.value?.toString() ?? '')).toEqual({ id: 0, email: 'user0@example.com' });
    expect(handled[0]?.headers).toEqual({ trace: Buffer.from('t-1') });
    expect(handled[1]).toBe(raw);
  });

  it("fail: throws a non-retriable error before the handler, naming where, never the data", async () => {
    const logs: LogEntry[] = [];
    const { eachMessage, handled } = await installed([rule()], false, logs);
    const err = await eachMessage(messagePayload('orders', kafkaMessage(5, await encrypted(5, 'lost')))).catch((e: unknown) => e) as RecordCryptoError;
    expect(err).toBeInstanceOf(RecordCryptoError);
    expect(err.retriable).toBe(false);
    expect(err.code).toBe('KEY_NOT_FOUND');
    expect(err.fieldPath).toBe('email');
    expect(err.offset).toBe('5');
    expect(err.message).toMatch(/topic 'orders' partition 0 offset 5/);
    // KafkaJS reports `cause || error` on a crash, so the located error must not have a cause.
    expect(err.cause).toBeUndefined();
    expect(err.original.code).toBe('KEY_NOT_FOUND');
    expect(handled).toHaveLength(0);
    expect(JSON.stringify(logs)).not.toMatch(/example\.com|k2~/);
  });

  it('dead-letter: sends the original bytes with the error headers and does not call the handler', async () => {
    const { eachMessage, handled, dlq } = await installed([rule({ onFailure: 'dead-letter', deadLetterTopic: 'orders.dlq' })], true);
    const bad = kafkaMessage(9, await encrypted(9, 'lost'), Buffer.from('key-9'));
    await eachMessage(messagePayload('orders', bad));
    expect(handled).toHaveLength(0);
    expect(dlq.sent).toHaveLength(1);
    const [copy] = dlq.sent[0]?.messages ?? [];
    expect(dlq.sent[0]?.topic).toBe('orders.dlq');
    expect(copy?.value).toBe(bad.value);
    expect(copy?.key).toBe(bad.key);
    expect(copy?.timestamp).toBe(bad.timestamp);
    expect(copy?.headers).toMatchObject({
      trace: Buffer.from('t-1'),
      [DEAD_LETTER_HEADERS.errorCode]: 'KEY_NOT_FOUND',
      [DEAD_LETTER_HEADERS.fieldPath]: 'email',
      [DEAD_LETTER_HEADERS.topic]: 'orders',
      [DEAD_LETTER_HEADERS.partition]: '0',
      [DEAD_LETTER_HEADERS.offset]: '9',
    });
  });

  it('dead-letter: a failing dead-letter send propagates, so the offset is not resolved', async () => {
    const { eachMessage, dlq } = await installed([rule({ onFailure: 'dead-letter', deadLetterTopic: 'orders.dlq' })], true);
    dlq.raw.send.mockRejectedValueOnce(Object.assign(new Error('broker down'), { retriable: true }));
    await expect(eachMessage(messagePayload('orders', kafkaMessage(1, await encrypted(1, 'lost'))))).rejects.toThrow('broker down');
  });

  it('skip: logs topic, partition, offset and moves on', async () => {
    const logs: LogEntry[] = [];
    const { eachMessage, handled, dlq } = await installed([rule({ onFailure: 'skip' })], true, logs);
    await eachMessage(messagePayload('orders', kafkaMessage(3, await encrypted(3, 'lost'))));
    expect(handled).toHaveLength(0);
    expect(dlq.sent).toHaveLength(0);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'warn', extra: expect.objectContaining({ topic: 'orders', partition: 0, offset: '3', code: 'KEY_NOT_FOUND' }) }));
  });

  it('rethrows retriable errors for KafkaJS to retry, whatever the policy', async () => {
    const c = fakeConsumer();
    const kryptonite = new FakeRecordCipher(['k1']);
    kryptonite.retriableFaults = 1;
    const consumer = decryptingConsumer(c.consumer, { kryptonite, topics: [rule({ onFailure: 'skip' })] });
    const handled: KafkaMessage[] = [];
    await consumer.run({ eachMessage: async ({ message }) => { handled.push(message); } });
    const payload = messagePayload('orders', kafkaMessage(0, await encrypted(0)));
    const err = await c.config()!.eachMessage!(payload).catch((e: unknown) => e) as KryptoniteError;
    expect(err.retriable).toBe(true);
    expect(handled).toHaveLength(0);
    await c.config()!.eachMessage!(payload); // KafkaJS' retry
    expect(handled).toHaveLength(1);
  });

  it('uses the plain producer under an encrypting wrapper for dead letters', async () => {
    const inner = fakeProducer();
    const wrapped = encryptingProducer(inner.producer, { kryptonite: new FakeRecordCipher(), topics: [{ topic: /.*/, value: { whole: {} } }] });
    const c = fakeConsumer();
    const consumer = decryptingConsumer(c.consumer, { kryptonite: new FakeRecordCipher(['k1']), producer: wrapped,
      topics: [rule({ onFailure: 'dead-letter', deadLetterTopic: 'dlq' })] });
    await consumer.run({ eachMessage: async () => undefined });
    const bad = kafkaMessage(0, await encrypted(0, 'lost'));
    await c.config()!.eachMessage!(messagePayload('orders', bad));
    expect(inner.sent[0]?.messages[0]?.value).toBe(bad.value);
  });

  it('keeps subscribe, seek, pause/resume and commitOffsets', async () => {
    const { consumer, c } = await installed([rule()]);
    await consumer.subscribe({ topics: ['orders'] });
    consumer.seek({ topic: 'orders', partition: 0, offset: '1' });
    consumer.pause([{ topic: 'orders' }]);
    consumer.resume([{ topic: 'orders' }]);
    await consumer.commitOffsets([{ topic: 'orders', partition: 0, offset: '2' }]);
    for (const m of ['subscribe', 'seek', 'pause', 'resume', 'commitOffsets'] as const) expect(c.raw[m]).toHaveBeenCalledTimes(1);
  });

  it('requires a producer when a rule dead-letters', () => {
    expect(() => decryptingConsumer(fakeConsumer().consumer, { kryptonite: new FakeRecordCipher(), topics: [rule({ onFailure: 'dead-letter', deadLetterTopic: 'd' })] }))
      .toThrow(ConfigError);
  });
});
