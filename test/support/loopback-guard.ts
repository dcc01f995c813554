// Records every outgoing socket connection and DNS lookup made while a test runs, so tests can assert
// that the cloud clients reach nothing but 127.0.0.1 (no metadata-server probe, no real cloud).
import dns from 'node:dns';
import net from 'node:net';

export interface LoopbackGuard {
  readonly connects: string[];
  readonly lookups: string[];
  nonLoopback(): string[];
  restore(): void;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/;

export function watchConnections(): LoopbackGuard {
  const connects: string[] = [];
  const lookups: string[] = [];
  const origConnect = net.Socket.prototype.connect;
  const origLookup = dns.lookup;
  const origPromiseLookup = dns.promises.lookup;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  net.Socket.prototype.connect = function patched(this: net.Socket, ...args: any[]) {
    const first = args[0];
    const opts = Array.isArray(first) ? first[0] : first;
    if (typeof opts === 'object' && opts !== null) {
      if (opts.path) connects.push(`unix:${String(opts.path)}`);
      else connects.push(String(opts.host ?? 'localhost'));
    } else if (typeof first === 'number') {
      connects.push(typeof args[1] === 'string' ? args[1] : 'localhost');
    } else if (typeof first === 'string') {
      connects.push(`unix:${first}`);
    }
    return (origConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
  (dns as { lookup: unknown }).lookup = function patched(host: string, ...rest: unknown[]) {
    lookups.push(host);
    return (origLookup as (...a: unknown[]) => unknown)(host, ...rest);
  };
  (dns.promises as { lookup: unknown }).lookup = function patched(host: string, ...rest: unknown[]) {
    lookups.push(host);
    return (origPromiseLookup as (...a: unknown[]) => unknown)(host, ...rest);
  };
  return {
    connects,
    lookups,
    nonLoopback: () => [...connects, ...lookups].filter((h) => !h.startsWith('unix:') && !LOOPBACK.test(h)),
    restore() {
      net.Socket.prototype.connect = origConnect;
      (dns as { lookup: unknown }).lookup = origLookup;
      (dns.promises as { lookup: unknown }).lookup = origPromiseLookup;
    },
  };
}
