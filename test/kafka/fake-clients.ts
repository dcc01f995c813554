// Minimal KafkaJS Producer/Consumer stand-ins for unit tests of the wrappers: they record what was sent and
// which run() config the wrapper installed, and collect log entries to check that no data is logged.
import type { Batch, Consumer, ConsumerRunConfig, EachBatchPayload, KafkaMessage, Logger, Producer, ProducerBatch, ProducerRecord } from 'kafkajs';

export interface LogEntry { level: string; message: string; extra?: object }

export function fakeLogger(entries: LogEntry[]): Logger {
  const log = (level: string) => (message: string, extra?: object) => { entries.push({ level, message, extra }); };
  const logger: Logger = { info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug'), namespace: () => logger, setLogLevel: () => undefined };
  return logger;
}

export function fakeProducer(logs: LogEntry[] = []) {
  const sent: ProducerRecord[] = [];
  const batches: ProducerBatch[] = [];
  const txSent: ProducerRecord[] = [];
  const events = { CONNECT: 'producer.connect' };
  const producer = {
    connect: jest.fn(async () => undefined),
    disconnect: jest.fn(async () => undefined),
    isIdempotent: () => false,
    events,
    on: jest.fn(() => () => undefined),
    logger: () => fakeLogger(logs),
    send: jest.fn(async (r: ProducerRecord) => { sent.push(r); return []; }),
    sendBatch: jest.fn(async (b: ProducerBatch) => { batches.push(b); return []; }),
    transaction: jest.fn(async () => ({
      send: async (r: ProducerRecord) => { txSent.push(r); return []; },
      sendBatch: async (b: ProducerBatch) => { for (const tm of b.topicMessages ?? []) txSent.push(tm); return []; },
      sendOffsets: jest.fn(async () => undefined),
      commit: jest.fn(async () => undefined),
      abort: jest.fn(async () => undefined),
      isActive: () => true,
    })),
  };
  return { producer: producer as unknown as Producer, raw: producer, sent, batches, txSent };
}

export function fakeConsumer(logs: LogEntry[] = []) {
  let installed: ConsumerRunConfig | undefined;
  const consumer = {
    connect: jest.fn(async () => undefined),
    subscribe: jest.fn(async () => undefined),
    seek: jest.fn(),
    pause: jest.fn(),
    resume: jest.fn(),
    commitOffsets: jest.fn(async () => undefined),
    logger: () => fakeLogger(logs),
    run: jest.fn(async (config?: ConsumerRunConfig) => { installed = config; }),
  };
  return { consumer: consumer as unknown as Consumer, raw: consumer, config: () => installed };
}

export function kafkaMessage(offset: number, value: Buffer | null, key: Buffer | null = null): KafkaMessage {
  return { key, value, offset: String(offset), timestamp: '1700000000000', attributes: 0, headers: { trace: Buffer.from('t-1') }, size: 0 } as unknown as KafkaMessage;
}

/** A KafkaJS-like batch payload; `resolved` records every resolveOffset call in order. */
export function batchPayload(topic: string, messages: KafkaMessage[], lastOffset?: string) {
  const resolved: string[] = [];
  const last = lastOffset ?? messages[messages.length - 1]?.offset ?? '0';
  const batch: Batch = {
    topic, partition: 1, highWatermark: String(Number(last) + 1), messages,
    isEmpty: () => messages.length === 0,
    firstOffset: () => messages[0]?.offset ?? null,
    lastOffset: () => last,
    offsetLag: () => '0',
    offsetLagLow: () => String(Number(last) - Number(messages[0]?.offset ?? last)),
  };
  const payload: EachBatchPayload = {
    batch,
    resolveOffset: (o) => { resolved.push(o); },
    heartbeat: async () => undefined,
    pause: () => () => undefined,
    commitOffsetsIfNecessary: async () => undefined,
    uncommittedOffsets: () => ({ topics: [] }),
    isRunning: () => true,
    isStale: () => false,
  };
  return { payload, resolved };
}
