// One end-to-end run in its own process (so its peak memory is its own): produce N 1 KB JSON records to a new
// topic while a consumer group reads them back and parses each value, with plain KafkaJS or through the
// encrypting producer / decrypting consumer. Prints one JSON line with the timings and memory.
import { Kafka, Partitioners, logLevel, type Consumer, type EachBatchPayload, type Producer } from 'kafkajs';
import { decryptingConsumer, encryptingProducer } from '../src/kafka';
import type { TopicRule } from '../src/record';
import { RECORD_FIELDS, benchEngine, benchKeys, record1k } from './lib/fixtures';

export interface E2eResult {
  mode: 'plain' | 'encrypted';
  records: number;
  /** Records per second from the first send until the consumer has handled the last record. */
  recordsPerSec: number;
  /** Records per second of the producer's sends alone (they overlap with consumption). */
  producedPerSec: number;
  seconds: number;
  /** Highest RSS / heap seen while the measured run was going (sampled every 20 ms), bytes. */
  peakRss: number;
  peakHeapUsed: number;
  /** The process's maximum resident set size over its whole life (getrusage), bytes. */
  maxRss: number;
  /** RSS just before the measured run started. */
  rssBefore: number;
  cpuSeconds: number;
}

// 500 records of ~1.2 KB stay under the broker's default 1 MiB record-batch limit, encrypted or not.
const BATCH = 500;
const POOL = 1000;

interface Pipeline { producer: Producer; consumer: Consumer }

function pipeline(kafka: Kafka, mode: E2eResult['mode'], topics: TopicRule[], groupId: string,
  kryptonite: Awaited<ReturnType<typeof benchEngine>> | undefined): Pipeline {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const consumer = kafka.consumer({ groupId, maxBytes: 16 * 1024 * 1024 });
  if (mode === 'plain' || kryptonite === undefined) return { producer, consumer };
  return {
    producer: encryptingProducer(producer, { kryptonite, topics }),
    consumer: decryptingConsumer(consumer, { kryptonite, topics }),
  };
}

async function runOnce(kafka: Kafka, mode: E2eResult['mode'], topic: string, records: readonly string[], n: number,
  kryptonite: Awaited<ReturnType<typeof benchEngine>> | undefined, sample: () => void): Promise<{ seconds: number; produceSeconds: number }> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const topics: TopicRule[] = [{ topic, value: { fields: RECORD_FIELDS } }];
  const { producer, consumer } = pipeline(kafka, mode, topics, `${topic}-group`, kryptonite);
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let parsedFields = 0;
  let done!: () => void;
  const finished = new Promise<void>((res) => { done = res; });
  const joined = new Promise<void>((res) => { consumer.on(consumer.events.GROUP_JOIN, () => res()); });
  await consumer.run({
    eachBatch: async ({ batch }: EachBatchPayload) => {
      for (const m of batch.messages) {
        // The application's own work, the same in both modes: read the record.
        const doc = JSON.parse((m.value as Buffer).toString()) as { customer: { email: string } };
        parsedFields += doc.customer.email.length > 0 ? 1 : 0;
        if (++seen === n) done();
      }
    },
  });
  await joined;
  const t0 = process.hrtime.bigint();
  const timer = setInterval(sample, 20);
  for (let i = 0; i < n; i += BATCH) {
    const messages = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) messages.push({ key: String(j), value: records[j % records.length] as string });
    await producer.send({ topic, messages });
  }
  const produced = process.hrtime.bigint();
  await finished;
  const end = process.hrtime.bigint();
  clearInterval(timer);
  sample();
  if (parsedFields !== n) throw new Error(`the consumer read ${parsedFields} of ${n} records with a customer.email`);
  await Promise.all([producer.disconnect(), consumer.disconnect()]);
  return { seconds: Number(end - t0) / 1e9, produceSeconds: Number(produced - t0) / 1e9 };
}

async function main(): Promise<void> {
  const mode = process.argv[2] === 'encrypted' ? 'encrypted' : 'plain';
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  const n = Number(process.env.E2E_RECORDS ?? 100_000);
  const warmup = Number(process.env.E2E_WARMUP_RECORDS ?? 5_000);
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS is not set (the bench orchestrator sets it)');
  const kafka = new Kafka({ clientId: `k4k-bench-${mode}`, brokers, logLevel: logLevel.ERROR });
  const kryptonite = mode === 'encrypted' ? await benchEngine(benchKeys()) : undefined;
  const records = Array.from({ length: POOL }, (_, i) => JSON.stringify(record1k(i)));
  const run = `k4k-bench-${mode}-${process.pid}-${Date.now()}`;
  let peakRss = 0;
  let peakHeapUsed = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.heapUsed > peakHeapUsed) peakHeapUsed = m.heapUsed;
  };
  // Warm-up on its own topic: JIT, connections, metadata.
  if (warmup > 0) await runOnce(kafka, mode, `${run}-warmup`, records, warmup, kryptonite, () => undefined);
  const rssBefore = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const { seconds, produceSeconds } = await runOnce(kafka, mode, run, records, n, kryptonite, sample);
  const cpu = process.cpuUsage(cpu0);
  await kryptonite?.close();
  const result: E2eResult = {
    mode, records: n, recordsPerSec: n / seconds, producedPerSec: n / produceSeconds, seconds,
    peakRss, peakHeapUsed, maxRss: process.resourceUsage().maxRSS * 1024, rssBefore, cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`e2e worker failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
