// Stops what global-setup started (in reverse order).
import type { StartedService } from './service';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as { __K4K_SERVICES__?: StartedService[] }).__K4K_SERVICES__ ?? [];
  for (const s of [...started].reverse()) {
    try { await s.stop(); } catch (err) { console.error(`stopping ${s.name} failed:`, err); }
  }
}
