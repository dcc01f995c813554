// Quick start: an inline (key_source CONFIG) keyset, JSON orders whose customer email, phone and card number
// are encrypted by a wrapped KafkaJS producer, read back raw (ciphertext) and through a wrapped consumer.
// Run: KAFKA_BROKERS=127.0.0.1:9092 npx ts-node examples/quick-start.ts
import { Kryptonite, decryptingConsumer, encryptingProducer, generateKeyset, type TopicRule } from '../src';
import { createTopics, kafkaClient, preview, producerConfig, readRaw, runMain, untilCount, type ExampleContext } from './support';

export interface QuickStartResult {
  records: number;
  raw: string;
  decrypted: string;
  producedPerSecond: number;
  consumedPerSecond: number;
}

export function sampleOrder(i: number): Record<string, unknown> {
  return {
    orderId: `order-${i}`,
    customer: { name: `Customer ${i}`, email: `customer${i}@example.com`, phone: `+44 20 7946 ${String(i % 10000).padStart(4, '0')}` },
    card: { number: `4111 1111 1111 ${String(1000 + (i % 9000))}`, expiry: '12/29' },
    items: [{ sku: 'SKU-1', qty: 1 + (i % 3) }],
    total: Math.round((19.99 + i) * 100) / 100,
  };
}

export async function runQuickStart(ctx: ExampleContext, records = 2000): Promise<QuickStartResult> {
  const topic = `orders-${Date.now().toString(36)}`;
  // A fresh AES-256-GCM keyset; in production it comes from a file, a secret store or `kryptonite-kafkajs keyset`.
  const keyset = generateKeyset({ algorithm: 'AES_GCM', keySizeBits: 256 });
  const kryptonite = await Kryptonite.create({
    key_source: 'CONFIG',
    cipher_data_keys: [{ identifier: 'orders-key', material: keyset.toTinkJson() }],
    cipher_data_key_identifier: 'orders-key',
  });
  const topics: TopicRule[] = [
    { topic, value: { fields: [{ name: 'customer.email' }, { name: 'customer.phone' }, { name: 'card', fieldMode: 'OBJECT' }] } },
  ];
  const kafka = kafkaClient(ctx, 'quick-start');
  await createTopics(kafka, [topic]);

  const producer = encryptingProducer(kafka.producer(producerConfig), { kryptonite, topics });
  await producer.connect();
  const startProduce = process.hrtime.bigint();
  const batch = 500;
  for (let i = 0; i < records; i += batch) {
    const messages = [];
    for (let j = i; j < Math.min(records, i + batch); j++) messages.push({ key: `order-${j}`, value: JSON.stringify(sampleOrder(j)) });
    await producer.send({ topic, messages });
  }
  const produceSeconds = Number(process.hrtime.bigint() - startProduce) / 1e9;
  await producer.disconnect();

  const [stored] = await readRaw(kafka, topic, 1);
  const consumer = decryptingConsumer(kafka.consumer({ groupId: `quick-start-${topic}` }), { kryptonite, topics });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const startConsume = process.hrtime.bigint();
  const received = await untilCount<string>(records, 120_000, (push) =>
    consumer.run({ eachMessage: async ({ message }) => { push(message.value!.toString('utf8')); } }));
  const consumeSeconds = Number(process.hrtime.bigint() - startConsume) / 1e9;
  await consumer.disconnect();
  await kryptonite.close();

  const result: QuickStartResult = {
    records,
    raw: preview(stored?.value, 1000),
    decrypted: received.find((r) => r.includes('"order-0"')) ?? received[0] ?? '',
    producedPerSecond: Math.round(records / produceSeconds),
    consumedPerSecond: Math.round(records / consumeSeconds),
  };
  ctx.log(`topic ${topic}: ${records} orders with customer.email, customer.phone and card encrypted`);
  ctx.log(`stored on the topic (what any plain consumer sees):\n  ${result.raw}`);
  ctx.log(`received by the decrypting consumer:\n  ${result.decrypted}`);
  ctx.log(`throughput: ${result.producedPerSecond} records/s produced, ${result.consumedPerSecond} records/s consumed`);
  return result;
}

if (require.main === module) runMain((ctx) => runQuickStart(ctx));
