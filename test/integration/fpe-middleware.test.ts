// FPE through the KafkaJS middleware on the real broker: card numbers keep their 16 digits on the topic and come
// back on consume; a different tweak gives a different stored value.
import type { Admin, Kafka } from 'kafkajs';
import { Kryptonite } from '../../src/engine';
import { decryptingConsumer, encryptingProducer } from '../../src/kafka';
import { generateKeyset } from '../../src/keyset';
import type { TopicRule } from '../../src/record';
import { consumeUntil, createTopics, kafka, producerConfig, readRaw, uniqueName } from './kafka-support';

let client: Kafka;
let admin: Admin;
beforeAll(async () => { client = kafka('fpe-test'); admin = client.admin(); await admin.connect(); });
afterAll(async () => { await admin?.disconnect(); });

const cards = ['4111111111111111', '5500005555555559', '4000056655665556', '0000000000000000'];

async function roundTrip(tweak: string, keyset: Record<string, unknown>): Promise<{ stored: string[]; back: string[] }> {
  const topic = uniqueName('cards');
  await createTopics(admin, [topic]);
  const k = await Kryptonite.create({ cipher_data_keys: [{ identifier: 'fpe', material: keyset }], cipher_fpe_tweak: tweak });
  const topics: TopicRule[] = [{
    topic,
    value: { fields: [{ name: 'card.pan', algorithm: 'CUSTOM/MYSTO_FPE_FF3_1', keyId: 'fpe', fpeAlphabetType: 'DIGITS' }] },
  }];
  const producer = encryptingProducer(client.producer(producerConfig), { kryptonite: k, topics });
  await producer.connect();
  await producer.send({ topic, messages: cards.map((pan, i) => ({ key: String(i), value: JSON.stringify({ i, card: { pan, holder: 'X' } }) })) });
  await producer.disconnect();
  const raw = await readRaw(client, topic, cards.length);
  const consumer = decryptingConsumer(client.consumer({ groupId: uniqueName('fpe') }), { kryptonite: k, topics });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const got = await consumeUntil(consumer, cards.length);
  await consumer.disconnect();
  await k.close();
  const pan = (m: { message: { value: Buffer | null } }) => JSON.parse(m.message.value!.toString('utf8')) as { i: number; card: { pan: string } };
  const order = <T extends { message: { value: Buffer | null } }>(l: T[]) => [...l].sort((a, b) => pan(a).i - pan(b).i).map((m) => pan(m).card.pan);
  return { stored: order(raw), back: order(got) };
}

describe('FPE card numbers through the middleware', () => {
  it('stay 16 digits on the topic and decrypt on consume; another tweak stores other digits', async () => {
    const keyset = generateKeyset({ algorithm: 'FPE_FF31', keySizeBits: 128 }).toTinkJson() as unknown as Record<string, unknown>;
    const a = await roundTrip('0000000', keyset);
    expect(a.back).toEqual(cards);
    for (const [i, s] of a.stored.entries()) {
      expect(s).toMatch(/^\d{16}$/);
      expect(s).not.toBe(cards[i]);
    }
    const b = await roundTrip('tweak-2', keyset);
    expect(b.back).toEqual(cards);
    expect(b.stored.every((s, i) => s !== a.stored[i])).toBe(true);
  });
});
