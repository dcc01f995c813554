// Small helpers shared by the examples: a KafkaJS client, topic creation, and reading a topic raw (without
// decryption) so the examples can show what is really stored. Uses only KafkaJS and the public API.
import { Kafka, logLevel, Partitioners, type Admin, type KafkaMessage, type LogEntry } from 'kafkajs';

export interface ExampleContext {
  brokers: string[];
  /** Where the example prints; the demo passes its own printer. */
  log: (line: string) => void;
}

export function contextFromEnv(): ExampleContext {
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((s) => s.trim()).filter(Boolean);
  return { brokers, log: (line) => console.log(line) };
}

// One compact line per warning; a fresh broker answers the first group join with a transient
// "group coordinator is not available", which KafkaJS retries by itself.
function compactLog(ctx: ExampleContext) {
  return () => ({ namespace, level, log }: LogEntry) => {
    if (level > logLevel.WARN || /coordinator is not available/.test(String(log.error))) return;
    const { message, timestamp: _t, logger: _l, ...rest } = log;
    ctx.log(`  [kafkajs ${namespace}] ${message} ${JSON.stringify(rest)}`);
  };
}

export function kafkaClient(ctx: ExampleContext, clientId: string): Kafka {
  return new Kafka({
    clientId, brokers: ctx.brokers, logLevel: logLevel.WARN, logCreator: compactLog(ctx), retry: { retries: 10, initialRetryTime: 200 },
  });
}

export const producerConfig = { createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false };

export async function createTopics(kafka: Kafka, topics: string[], numPartitions = 1): Promise<void> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** Reads `count` records of a topic from the beginning with a plain consumer (no decryption). */
export async function readRaw(kafka: Kafka, topic: string, count: number, timeoutMs = 30_000): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: `raw-reader-${topic}-${Date.now()}` });
  const seen: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${seen.length} of ${count} records from ${topic} in ${timeoutMs} ms`)), timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push(message);
          if (seen.length >= count) { clearTimeout(timer); resolve(); }
        },
      }).catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

/** Runs `consume` until `count` records were handed to the handler, then disconnects. */
export async function untilCount<T>(count: number, timeoutMs: number, start: (push: (item: T) => void) => Promise<void>): Promise<T[]> {
  const items: T[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`received ${items.length} of ${count} records in ${timeoutMs} ms`)), timeoutMs);
    start((item) => {
      items.push(item);
      if (items.length >= count) { clearTimeout(timer); resolve(); }
    }).catch((err: unknown) => { clearTimeout(timer); reject(err); });
  });
  return items;
}

export function preview(value: Buffer | string | null | undefined, max = 160): string {
  if (value === null || value === undefined) return 'null';
  const text = typeof value === 'string' ? value : value.toString('utf8');
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function runMain(main: (ctx: ExampleContext) => Promise<unknown>): void {
  main(contextFromEnv()).then(
    () => process.exit(0),
    (err: unknown) => { console.error(err); process.exit(1); },
  );
}
