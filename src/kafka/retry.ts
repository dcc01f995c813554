// Retries retriable encryption failures (a key service timing out) with KafkaJS' exponential backoff and defaults,
// so the producer wrapper behaves like KafkaJS does for its own retriable errors.
import type { RetryOptions } from 'kafkajs';
import type { KryptoniteError } from '../errors';

export type RetrySettings = Required<Pick<RetryOptions, 'maxRetryTime' | 'initialRetryTime' | 'factor' | 'multiplier' | 'retries'>>;

export const KAFKAJS_RETRY_DEFAULTS: RetrySettings = { maxRetryTime: 30_000, initialRetryTime: 300, factor: 0.2, multiplier: 2, retries: 5 };

export function retrySettings(options: RetryOptions | undefined): RetrySettings {
  return { ...KAFKAJS_RETRY_DEFAULTS, ...Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined)) };
}

function jitter(time: number, factor: number): number {
  const delta = factor * time;
  return Math.ceil(time - delta + Math.random() * 2 * delta);
}

/** Runs `fn`; when it throws a retriable KryptoniteError, tries again up to `retries` times, then rethrows the last error. */
export async function withRetries<T>(fn: () => Promise<T>, settings: RetrySettings,
  isRetriable: (err: unknown) => err is KryptoniteError, onRetry?: (err: KryptoniteError, attempt: number, waitMs: number) => void): Promise<T> {
  let wait = jitter(settings.initialRetryTime, settings.factor);
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetriable(err) || attempt >= settings.retries) throw err;
      onRetry?.(err, attempt + 1, wait);
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(jitter(wait, settings.factor) * settings.multiplier, settings.maxRetryTime);
    }
  }
}
