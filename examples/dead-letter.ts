// Dead-letter handling: a consumer that lacks the key of some records sends those records, untouched, to a
// dead-letter topic with headers saying what failed and where, and keeps going with the rest.
// Run: KAFKA_BROKERS=127.0.0.1:9092 npx ts-node examples/dead-letter.ts
import { Kryptonite, decryptingConsumer, encryptingProducer, generateKeyset, DEAD_LETTER_HEADERS, type TopicRule } from '../src';
import { createTopics, kafkaClient, producerConfig, readRaw, runMain, untilCount, type ExampleContext } from './support';

export async function runDeadLetter(ctx: ExampleContext): Promise<{ delivered: number; deadLettered: number; headers: Record<string, string> }> {
  const topic = `invoices-${Date.now().toString(36)}`;
  const dlq = `${topic}.dlq`;
  const shared = generateKeyset({ algorithm: 'AES_GCM' }).toTinkJson();
  const secret = generateKeyset({ algorithm: 'AES_GCM' }).toTinkJson();
  // The producer knows two keysets; the consumer only the shared one.
  const writer = await Kryptonite.create({ cipher_data_keys: [{ identifier: 'shared', material: shared }, { identifier: 'restricted', material: secret }] });
  const reader = await Kryptonite.create({ cipher_data_keys: [{ identifier: 'shared', material: shared }] });
  const fields = [{ name: 'amount', keyId: '__#keyName' }];
  const topics: TopicRule[] = [{ topic, value: { fields }, onFailure: 'dead-letter', deadLetterTopic: dlq }];
  const kafka = kafkaClient(ctx, 'dead-letter');
  await createTopics(kafka, [topic, dlq]);
  const producer = encryptingProducer(kafka.producer(producerConfig), { kryptonite: writer, topics });
  await producer.connect();
  const messages = Array.from({ length: 10 }, (_, i) => ({
    value: JSON.stringify({ invoice: i, keyName: i % 5 === 4 ? 'restricted' : 'shared', amount: 100 + i }),
  }));
  await producer.send({ topic, messages });
  await producer.disconnect();

  const dlqProducer = kafka.producer(producerConfig);
  await dlqProducer.connect();
  const consumer = decryptingConsumer(kafka.consumer({ groupId: `dlq-${topic}` }), { kryptonite: reader, topics, producer: dlqProducer });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const delivered = await untilCount<unknown>(8, 60_000, (push) => consumer.run({
    eachMessage: async ({ message }) => { push(JSON.parse(message.value!.toString('utf8'))); },
  }));
  const dead = await readRaw(kafka, dlq, 2);
  await consumer.disconnect();
  await dlqProducer.disconnect();
  await writer.close();
  await reader.close();
  const headers = Object.fromEntries(Object.entries(dead[0]?.headers ?? {}).map(([k, v]) => [k, String(v)]));
  ctx.log(`${delivered.length} invoices delivered decrypted, ${dead.length} sent to ${dlq}; dead-letter headers:`);
  for (const name of Object.values(DEAD_LETTER_HEADERS)) ctx.log(`  ${name}: ${headers[name] ?? '(missing)'}`);
  return { delivered: delivered.length, deadLettered: dead.length, headers };
}

if (require.main === module) runMain((ctx) => runDeadLetter(ctx));
