// The contract of a test service module (test/setup/services/<name>.service.ts).
export interface StartedService {
  readonly name: string;
  /** Environment variables the tests use to reach the service (e.g. KAFKA_BROKERS=127.0.0.1:9092). */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}
