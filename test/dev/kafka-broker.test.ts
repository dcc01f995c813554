// The broker starter used by the tests, the demo and the benchmarks.
import { startKafkaBroker } from '../../src/dev/kafka-broker';
import { kafka } from '../integration/kafka-support';

it('formats and starts a broker whose cluster id begins with "-" (Kafka\'s argument parser once read it as an option)', async () => {
  const id = Buffer.alloc(16, 7);
  id[0] = 0xf9; // base64url '-' first
  const clusterId = id.toString('base64url');
  expect(clusterId.startsWith('-')).toBe(true);
  const broker = await startKafkaBroker({ clusterId });
  try {
    const admin = kafka('starter-test', broker.brokers).admin();
    await admin.connect();
    const cluster = await admin.describeCluster();
    await admin.disconnect();
    expect(cluster.clusterId).toBe(clusterId);
    expect(cluster.brokers).toHaveLength(1);
  } finally {
    await broker.stop();
  }
});
