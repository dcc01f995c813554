// Jest global-setup service: a real single-node Kafka broker on 127.0.0.1, or the one KAFKA_BROKERS already names.
import { startKafkaBroker } from '../../../src/dev/kafka-broker';
import type { StartedService } from '../service';

export async function start(): Promise<StartedService> {
  // KafkaJS 2 warns about its partitioner change on every producer; the tests choose partitioners explicitly.
  const quiet = { KAFKAJS_NO_PARTITIONER_WARNING: '1' };
  const existing = process.env.KAFKA_BROKERS?.trim();
  if (existing) return { name: 'kafka (existing)', env: { KAFKA_BROKERS: existing, ...quiet }, stop: async () => undefined };
  const broker = await startKafkaBroker();
  return {
    name: 'kafka',
    env: { KAFKA_BROKERS: broker.brokers.join(','), ...quiet },
    stop: () => broker.stop(),
  };
}
