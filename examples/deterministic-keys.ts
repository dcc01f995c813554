// Deterministic record keys: the key of every record is encrypted with AES-SIV, so equal plaintext keys give
// equal ciphertext keys and Kafka's partitioner still sends all records of one customer to one partition.
// Run: KAFKA_BROKERS=127.0.0.1:9092 npx ts-node examples/deterministic-keys.ts
import { Kryptonite, decryptingConsumer, encryptingProducer, generateKeyset, type TopicRule } from '../src';
import { createTopics, kafkaClient, producerConfig, readRaw, runMain, untilCount, type ExampleContext } from './support';

export async function runDeterministicKeys(ctx: ExampleContext): Promise<{ partitionsPerCustomer: number; keysDecrypted: boolean }> {
  const topic = `payments-${Date.now().toString(36)}`;
  const kryptonite = await Kryptonite.create({
    cipher_data_keys: [
      { identifier: 'record-keys', material: generateKeyset({ algorithm: 'AES_GCM_SIV' }).toTinkJson() },
      { identifier: 'payments', material: generateKeyset({ algorithm: 'AES_GCM' }).toTinkJson() },
    ],
    cipher_data_key_identifier: 'payments',
  });
  const topics: TopicRule[] = [{
    topic,
    key: { whole: { algorithm: 'TINK/AES_GCM_SIV', keyId: 'record-keys' } },
    value: { fields: [{ name: 'iban' }] },
  }];
  const kafka = kafkaClient(ctx, 'deterministic-keys');
  await createTopics(kafka, [topic], 3);
  const producer = encryptingProducer(kafka.producer(producerConfig), { kryptonite, topics });
  await producer.connect();
  const customers = ['alice', 'bob', 'carol', 'dave'];
  const messages = Array.from({ length: 40 }, (_, i) => {
    const customer = customers[i % customers.length] as string;
    return { key: customer, value: JSON.stringify({ customer, seq: i, iban: `GB33BUKB2020155555${String(i).padStart(4, '0')}` }) };
  });
  await producer.send({ topic, messages });
  await producer.disconnect();

  const raw = await readRaw(kafka, topic, messages.length);
  // Raw keys are ciphertext; all records of one customer share one ciphertext key, hence one partition.
  const partitionsByKey = new Map<string, Set<number>>();
  const consumer = decryptingConsumer(kafka.consumer({ groupId: `det-${topic}` }), { kryptonite, topics });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen = await untilCount<{ key: string; partition: number }>(messages.length, 60_000, (push) => consumer.run({
    eachMessage: async ({ message, partition }) => { push({ key: message.key!.toString('utf8'), partition }); },
  }));
  await consumer.disconnect();
  await kryptonite.close();
  for (const { key, partition } of seen) {
    if (!partitionsByKey.has(key)) partitionsByKey.set(key, new Set());
    partitionsByKey.get(key)!.add(partition);
  }
  const distinctRawKeys = new Set(raw.map((m) => m.key?.toString('utf8'))).size;
  const partitionsPerCustomer = Math.max(...[...partitionsByKey.values()].map((s) => s.size));
  ctx.log(`topic ${topic}: ${messages.length} payments of ${customers.length} customers over 3 partitions`);
  ctx.log(`stored key of alice's records: ${raw.find((m) => m.value?.toString('utf8').includes('"seq":0'))?.key?.toString('utf8')}`);
  ctx.log(`${distinctRawKeys} distinct ciphertext keys; each customer's records landed in ${partitionsPerCustomer} partition`);
  return { partitionsPerCustomer, keysDecrypted: seen.every(({ key }) => customers.includes(key)) };
}

if (require.main === module) runMain((ctx) => runDeterministicKeys(ctx));
