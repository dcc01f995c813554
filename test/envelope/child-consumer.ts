// A second process for the envelope integration test: its own Kryptonite (own EDEK store consumer) behind the
// decrypting KafkaJS consumer. Reads its job from K4K_CHILD_JOB, prints "ready" once its store has caught up
// and the consumer has joined, then one JSON line per decrypted record value, and exits after `count` records.
import { Kafka, logLevel } from 'kafkajs';
import { Kryptonite } from '../../src/engine';
import { decryptingConsumer } from '../../src/kafka';
import type { KryptoniteOptions } from '../../src/config/options';

interface Job { options: KryptoniteOptions; brokers: string[]; topic: string; fields: { name: string }[]; count: number; groupId: string }

async function main(): Promise<void> {
  const job = JSON.parse(process.env.K4K_CHILD_JOB ?? '') as Job;
  const quiet = { logLevel: logLevel.NOTHING };
  const k = await Kryptonite.create(job.options, { envelope: { kafka: { kafkaConfig: quiet } } });
  const client = new Kafka({ clientId: 'envelope-child', brokers: job.brokers, ...quiet });
  const consumer = decryptingConsumer(client.consumer({ groupId: job.groupId }), { kryptonite: k, topics: [{ topic: job.topic, value: { fields: job.fields } }] });
  await consumer.connect();
  await consumer.subscribe({ topics: [job.topic], fromBeginning: true });
  let seen = 0;
  const done = new Promise<void>((resolve, reject) => {
    consumer.on(consumer.events.GROUP_JOIN, () => process.stdout.write('ready\n'));
    consumer.on(consumer.events.CRASH, (e) => reject(e.payload.error));
    void consumer.run({
      eachMessage: async ({ message }) => {
        process.stdout.write(`${message.value?.toString('utf8') ?? 'null'}\n`);
        if (++seen >= job.count) resolve();
      },
    }).catch(reject);
  });
  try {
    await done;
    process.stdout.write(`stats ${JSON.stringify(k.envelopeStats())}\n`);
  } finally {
    await consumer.disconnect();
    await k.close();
  }
}

main().then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`child failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
