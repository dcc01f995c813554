// Format-preserving encryption: 16-digit card numbers stay 16 digits on the topic (FF3-1, DIGITS alphabet),
// so fixed-width columns and validators downstream keep working; the consumer restores them.
// Run: KAFKA_BROKERS=127.0.0.1:9092 npx ts-node examples/fpe-card-numbers.ts
import { Kryptonite, decryptingConsumer, encryptingProducer, generateKeyset, type TopicRule } from '../src';
import { createTopics, kafkaClient, producerConfig, readRaw, runMain, untilCount, type ExampleContext } from './support';

export async function runFpeCardNumbers(ctx: ExampleContext): Promise<{ stored: string; restored: string }> {
  const topic = `cards-${Date.now().toString(36)}`;
  const kryptonite = await Kryptonite.create({
    cipher_data_keys: [{ identifier: 'card-fpe', material: generateKeyset({ algorithm: 'FPE_FF31', keySizeBits: 256 }).toTinkJson() }],
    cipher_fpe_tweak: 'cards01',
  });
  const topics: TopicRule[] = [{
    topic,
    value: { fields: [{ name: 'pan', algorithm: 'CUSTOM/MYSTO_FPE_FF3_1', keyId: 'card-fpe', fpeAlphabetType: 'DIGITS' }] },
  }];
  const kafka = kafkaClient(ctx, 'fpe-cards');
  await createTopics(kafka, [topic]);
  const producer = encryptingProducer(kafka.producer(producerConfig), { kryptonite, topics });
  await producer.connect();
  const pan = '4111111111111111';
  await producer.send({ topic, messages: [{ value: JSON.stringify({ holder: 'A. N. Other', pan }) }] });
  await producer.disconnect();
  const [raw] = await readRaw(kafka, topic, 1);
  const stored = JSON.parse(raw!.value!.toString('utf8')).pan as string;
  const consumer = decryptingConsumer(kafka.consumer({ groupId: `fpe-${topic}` }), { kryptonite, topics });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const [restored] = await untilCount<string>(1, 60_000, (push) => consumer.run({
    eachMessage: async ({ message }) => { push(JSON.parse(message.value!.toString('utf8')).pan as string); },
  }));
  await consumer.disconnect();
  await kryptonite.close();
  ctx.log(`card number ${pan} is stored as ${stored} (${stored.length} digits) and read back as ${restored}`);
  return { stored, restored: restored! };
}

if (require.main === module) runMain((ctx) => runFpeCardNumbers(ctx));
