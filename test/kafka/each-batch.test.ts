import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { KryptoniteError } from '../../src/errors';
import { DEAD_LETTER_HEADERS, decryptingConsumer, RecordCryptoError } from '../../src/kafka';
import type { TopicRule } from '../../src/record';
import { FakeRecordCipher } from '../record/fake-record-cipher';
import { batchPayload, fakeConsumer, fakeProducer, kafkaMessage } from './fake-clients';

const writer = new FakeRecordCipher(['k1', 'lost']);

/** Offsets 10.. ; the offsets listed in `bad` are encrypted under a key the consumer lacks. */
async function messages(count: number, bad: number[] = []): Promise<KafkaMessage[]> {
  const out: KafkaMessage[] = [];
  for (let i = 0; i < count; i++) {
    const offset = 10 + i;
    const doc = await writer.encryptRecord({ n: offset, email: `u${offset}@example.com` }, [{ name: 'email', keyId: bad.includes(offset) ? 'lost' : 'k1' }]);
    out.push(kafkaMessage(offset, Buffer.from(JSON.stringify(doc))));
  }
  return out;
}

interface Seen { offsets: string[]; lastOffset: string; firstOffset: string | null }

async function setup(rule: Partial<TopicRule>, eachBatchAutoResolve?: boolean, handler?: (p: EachBatchPayload) => Promise<void>) {
  const c = fakeConsumer();
  const dlq = fakeProducer();
  const kryptonite = new FakeRecordCipher(['k1']);
  const consumer = decryptingConsumer(c.consumer, { kryptonite, producer: dlq.producer,
    topics: [{ topic: 'orders', value: { fields: [{ name: 'email' }] }, ...rule }] });
  const seen: Seen[] = [];
  await consumer.run({
    ...(eachBatchAutoResolve === undefined ? {} : { eachBatchAutoResolve }),
    eachBatch: async (p) => {
      for (const m of p.batch.messages) expect(JSON.parse(m.value!.toString()).email).toMatch(/^u\d+@example\.com$/);
      seen.push({ offsets: p.batch.messages.map((m) => m.offset), lastOffset: p.batch.lastOffset(), firstOffset: p.batch.firstOffset() });
      if (handler) await handler(p);
    },
  });
  return { eachBatch: c.config()!.eachBatch!, seen, dlq, kryptonite };
}

describe('decryptingConsumer eachBatch', () => {
  it('hands over the whole decrypted batch; lastOffset stays the batch one (control records)', async () => {
    const { eachBatch, seen } = await setup({});
    const { payload, resolved } = batchPayload('orders', await messages(4), '14');
    await eachBatch(payload);
    expect(seen).toEqual([{ offsets: ['10', '11', '12', '13'], lastOffset: '14', firstOffset: '10' }]);
    expect(resolved).toEqual([]); // KafkaJS' own auto-resolve takes it from here
  });

  it('fail in the middle: the handler gets the records before it, they are resolved, the failed one is not', async () => {
    const { eachBatch, seen } = await setup({});
    const { payload, resolved } = batchPayload('orders', await messages(5, [12]));
    const err = await eachBatch(payload).catch((e: unknown) => e) as RecordCryptoError;
    expect(err).toBeInstanceOf(RecordCryptoError);
    expect(err.retriable).toBe(false);
    expect(err.offset).toBe('12');
    expect(seen).toEqual([{ offsets: ['10', '11'], lastOffset: '11', firstOffset: '10' }]);
    expect(resolved).toEqual(['11']);
  });

  it('fail without auto-resolve: only what the handler resolves, and it cannot reach the failed record', async () => {
    const { eachBatch } = await setup({}, false, async (p) => { p.resolveOffset(p.batch.lastOffset()); });
    const { payload, resolved } = batchPayload('orders', await messages(5, [13]));
    await expect(eachBatch(payload)).rejects.toBeInstanceOf(RecordCryptoError);
    expect(resolved).toEqual(['12']);
  });

  it('fail on the first record: the handler is not called and nothing is resolved', async () => {
    const { eachBatch, seen } = await setup({});
    const { payload, resolved } = batchPayload('orders', await messages(3, [10]));
    await expect(eachBatch(payload)).rejects.toBeInstanceOf(RecordCryptoError);
    expect(seen).toEqual([]);
    expect(resolved).toEqual([]);
  });

  it('dead-letter: copies go out before the handler runs; resolving the record before one also resolves it', async () => {
    const order: string[] = [];
    const { eachBatch, seen, dlq } = await setup({ onFailure: 'dead-letter', deadLetterTopic: 'orders.dlq' }, false, async (p) => {
      order.push(`handler(dlq sent: ${dlq.sent.length})`);
      for (const m of p.batch.messages) p.resolveOffset(m.offset);
    });
    const msgs = await messages(6, [10, 12, 14, 15]);
    const { payload, resolved } = batchPayload('orders', msgs);
    await eachBatch(payload);
    expect(order).toEqual(['handler(dlq sent: 1)']);
    expect(seen).toEqual([{ offsets: ['11', '13'], lastOffset: '15', firstOffset: '11' }]);
    // 10 (leading dead letter) first, then 11 -> 12 and 13 -> 15
    expect(resolved).toEqual(['10', '12', '15']);
    const copies = dlq.sent[0]?.messages ?? [];
    expect(copies.map((m) => m.headers?.[DEAD_LETTER_HEADERS.offset])).toEqual(['10', '12', '14', '15']);
    expect(copies.map((m) => m.value)).toEqual([msgs[0]?.value, msgs[2]?.value, msgs[4]?.value, msgs[5]?.value]);
  });

  it('skip: every record bad means no handler call and the batch resolved', async () => {
    const { eachBatch, seen, dlq } = await setup({ onFailure: 'skip' });
    const { payload, resolved } = batchPayload('orders', await messages(2, [10, 11]));
    await eachBatch(payload);
    expect(seen).toEqual([]);
    expect(dlq.sent).toEqual([]);
    expect(resolved).toEqual(['11']);
  });

  it('a retriable error cuts the batch like fail, but stays retriable for KafkaJS', async () => {
    const c = fakeConsumer();
    const kryptonite = new FakeRecordCipher(['k1']);
    const consumer = decryptingConsumer(c.consumer, { kryptonite, topics: [{ topic: 'orders', value: { fields: [{ name: 'email' }] }, onFailure: 'skip' }] });
    const seen: string[][] = [];
    await consumer.run({ eachBatch: async (p) => { seen.push(p.batch.messages.map((m) => m.offset)); } });
    const msgs = await messages(3);
    // The third decryption fails (records are decrypted concurrently, in order of the batch).
    const original = kryptonite.decryptValue.bind(kryptonite);
    let n = 0;
    kryptonite.decryptValue = async (v, f) => {
      if (n++ === 2) throw new KryptoniteError('KMS_TIMEOUT', 'timed out', { retriable: true });
      return original(v, f);
    };
    const { payload, resolved } = batchPayload('orders', msgs);
    const err = await c.config()!.eachBatch!(payload).catch((e: unknown) => e) as KryptoniteError;
    expect(err.retriable).toBe(true);
    expect(seen).toEqual([['10', '11']]);
    expect(resolved).toEqual(['11']);
  });

  it('passes batches of other topics through untouched', async () => {
    const c = fakeConsumer();
    const consumer = decryptingConsumer(c.consumer, { kryptonite: new FakeRecordCipher(), topics: [{ topic: 'orders', value: { whole: {} } }] });
    let got: EachBatchPayload | undefined;
    await consumer.run({ eachBatch: async (p) => { got = p; } });
    const { payload } = batchPayload('other', [kafkaMessage(0, Buffer.from('raw'))]);
    await c.config()!.eachBatch!(payload);
    expect(got).toBe(payload);
  });
});
