import type { Producer } from 'kafkajs';
import { ConfigError, KmsError, KryptoniteError } from '../../src/errors';
import { encryptingProducer, RecordCryptoError } from '../../src/kafka';
import { FakeRecordCipher } from '../record/fake-record-cipher';
import { fakeProducer, type LogEntry } from './fake-clients';

const topics = [
  { topic: 'orders', value: { fields: [{ name: 'email' }] }, key: { whole: { algorithm: 'TINK/AES_GCM_SIV' as const } } },
];
const order = (i: number) => JSON.stringify({ id: i, email: `user${i}@example.com` });

describe('encryptingProducer', () => {
  it('encrypts send, sendBatch and transactional sends for matching topics only', async () => {
    const kryptonite = new FakeRecordCipher();
    const f = fakeProducer();
    const p = encryptingProducer(f.producer, { kryptonite, topics });
    await p.send({ topic: 'orders', messages: [{ key: 'c1', value: order(1) }], acks: -1 });
    await p.send({ topic: 'plain', messages: [{ key: 'c1', value: order(2) }] });
    await p.sendBatch({ topicMessages: [{ topic: 'orders', messages: [{ key: 'c2', value: order(3) }] }, { topic: 'plain', messages: [{ value: 'x' }] }] });
    const tx = await p.transaction();
    await tx.send({ topic: 'orders', messages: [{ key: 'c3', value: order(4) }] });
    await tx.commit();

    const [first, plain] = f.sent;
    expect(first?.acks).toBe(-1);
    expect(first?.messages[0]?.key).toMatch(/^k2~/);
    expect(JSON.parse(first?.messages[0]?.value as string).email).toMatch(/^k2~/);
    expect(plain?.messages[0]).toEqual({ key: 'c1', value: order(2) });
    const [bt, bp] = f.batches[0]?.topicMessages ?? [];
    expect(JSON.parse(bt?.messages[0]?.value as string).email).toMatch(/^k2~/);
    expect(bp?.messages[0]).toEqual({ value: 'x' });
    expect(JSON.parse(f.txSent[0]?.messages[0]?.value as string).email).toMatch(/^k2~/);
    expect(f.raw.transaction).toHaveBeenCalledTimes(1);
  });

  it('keeps every other producer method and the events', async () => {
    const f = fakeProducer();
    const p = encryptingProducer(f.producer, { kryptonite: new FakeRecordCipher(), topics });
    await p.connect();
    expect(f.raw.connect).toHaveBeenCalled();
    expect(p.events).toBe(f.raw.events);
    p.on(p.events.CONNECT, () => undefined);
    expect(f.raw.on).toHaveBeenCalled();
  });

  it('sends nothing when a message cannot be encrypted, and says where without the data', async () => {
    const logs: LogEntry[] = [];
    const f = fakeProducer(logs);
    const p = encryptingProducer(f.producer, { kryptonite: new FakeRecordCipher(['k1']), topics: [{ topic: 'orders', value: { fields: [{ name: 'email', keyId: 'missing' }] } }] });
    const err = await p.send({ topic: 'orders', messages: [{ value: order(1) }, { value: order(2) }] }).catch((e: unknown) => e) as RecordCryptoError;
    expect(err).toBeInstanceOf(RecordCryptoError);
    expect(err.code).toBe('KEY_NOT_FOUND');
    expect(err.fieldPath).toBe('email');
    expect(err.message).toMatch(/topic 'orders' message #0/);
    expect(f.sent).toHaveLength(0);
    expect(JSON.stringify(logs)).not.toContain('example.com');
  });

  it('retries retriable encryption failures with backoff, then succeeds', async () => {
    const kryptonite = new FakeRecordCipher();
    let faults = 2;
    const flaky = Object.assign(Object.create(kryptonite) as FakeRecordCipher, {
      encryptRecord: async (...a: Parameters<FakeRecordCipher['encryptRecord']>) => {
        if (faults-- > 0) throw new KmsError('KMS_TIMEOUT', 'timed out', { retriable: true });
        return kryptonite.encryptRecord(...a);
      },
    });
    const logs: LogEntry[] = [];
    const f = fakeProducer(logs);
    const p = encryptingProducer(f.producer, { kryptonite: flaky, topics, retry: { initialRetryTime: 5, retries: 3 } });
    await p.send({ topic: 'orders', messages: [{ key: 'a', value: order(1) }] });
    expect(f.sent).toHaveLength(1);
    expect(logs.filter((l) => l.message.startsWith('Retrying'))).toHaveLength(2);
  });

  it('gives up after the configured retries with a retriable error', async () => {
    const flaky = Object.assign(new FakeRecordCipher(), {
      encryptValue: async () => { throw new KmsError('KMS_TIMEOUT', 'timed out', { retriable: true }); },
    });
    const f = fakeProducer();
    const p = encryptingProducer(f.producer, { kryptonite: flaky, topics, retry: { initialRetryTime: 1, retries: 2 } });
    const err = await p.send({ topic: 'orders', messages: [{ key: 'a', value: order(1) }] }).catch((e: unknown) => e) as KryptoniteError;
    expect(err.retriable).toBe(true);
    expect(err.code).toBe('KMS_TIMEOUT');
    expect(f.sent).toHaveLength(0);
  });

  it('validates options at construction and lists every problem', () => {
    const f = fakeProducer();
    expect(() => encryptingProducer(f.producer, { kryptonite: {} as FakeRecordCipher, topics: [{ topic: '' }] })).toThrow(ConfigError);
    try {
      encryptingProducer(f.producer, { kryptonite: {} as FakeRecordCipher, topics: [{ topic: '', value: { fields: [] } }] });
    } catch (err) {
      const problems = (err as ConfigError).problems;
      expect(problems).toContain('kryptonite.encryptRecord: is not a function');
      expect(problems.some((p) => p.startsWith('topics[0].topic'))).toBe(true);
      expect(problems.some((p) => p.startsWith('topics[0].value.fields'))).toBe(true);
    }
  });

  it('warns when record keys are encrypted with the randomised AES-GCM', () => {
    const logs: LogEntry[] = [];
    encryptingProducer(fakeProducer(logs).producer as Producer, { kryptonite: new FakeRecordCipher(), topics: [{ topic: 't', key: { whole: { algorithm: 'TINK/AES_GCM' } } }] });
    expect(logs.some((l) => l.level === 'warn' && /AES_GCM_SIV/.test(l.message))).toBe(true);
  });
});

describe('field lists of topic rules are checked against the engine when the wrapper is built', () => {
  it('reports a CUSTOM FPE field without any custom alphabet, with the rule path', async () => {
    const { Kryptonite } = await import('../../src/engine');
    const { encryptingProducer: wrap } = await import('../../src/kafka');
    const { KEYSET_C_FPE } = await import('../keyset/fixtures');
    const topics = [{ topic: 't', value: { fields: [{ name: 'c', algorithm: 'CUSTOM/MYSTO_FPE_FF3_1' as const, keyId: 'c', fpeAlphabetType: 'CUSTOM' as const }] } }];
    const quiet = { info() {}, warn() {}, error() {}, debug() {} };
    const fakeProducer = { logger: () => ({ namespace: () => quiet }) } as never;
    const without = await Kryptonite.create({ cipher_data_keys: [{ identifier: 'c', material: KEYSET_C_FPE }] });
    expect(() => wrap(fakeProducer, { kryptonite: without, topics })).toThrow(/topics\[0\]\.value: fields\[0\]\.fpeAlphabetCustom: is required/);
    const withGlobal = await Kryptonite.create({ cipher_data_keys: [{ identifier: 'c', material: KEYSET_C_FPE }], cipher_fpe_alphabet_custom: '0123456789' });
    expect(() => wrap(fakeProducer, { kryptonite: withGlobal, topics })).not.toThrow();
  });
});
