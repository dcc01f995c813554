// An in-process fake Azure Key Vault (REST API 7.x) over HTTPS on 127.0.0.1, for the Azure provider tests:
// secrets (set/get/list with paging), RSA keys (create/get, wrapkey/unwrapkey RSA-OAEP-256 with real RSA),
// the bearer-challenge handshake of the real clients. Each vault is its own HTTPS server (Key Vault URLs
// have no path, so a vault is a host:port). The self-signed certificate is made with the openssl CLI and
// trusted through the clients' tlsOptions, never by switching TLS checks off.
import { execFileSync } from 'node:child_process';
import { constants, generateKeyPairSync, privateDecrypt, publicEncrypt, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

let tls: { key: string; cert: string } | undefined;
function certificate(): { key: string; cert: string } {
  if (!tls) {
    const dir = mkdtempSync(join(tmpdir(), 'k4k-fake-kv-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    tls = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  }
  return tls;
}

/** The CA (the self-signed certificate itself) to pass as tlsOptions.ca. */
export function fakeKeyVaultCa(): string {
  return certificate().cert;
}

interface SecretVersion { version: string; value: string; enabled: boolean }
interface RsaVersion { version: string; priv: KeyObject; pub: KeyObject }

export interface FakeKeyVault {
  readonly url: string;
  setSecret(name: string, value: string): void;
  disableSecret(name: string): void;
  deleteSecret(name: string): void;
  /** Creates (or rotates) an RSA-2048 key; returns its versioned kid. */
  createRsaKey(name: string): string;
  /** When set, every vault call answers with this HTTP status (e.g. 403, 503). */
  failWith: number | undefined;
  readonly calls: Map<string, number>;
  stop(): Promise<void>;
}

const b64url = (b: Buffer): string => b.toString('base64url');

export async function startFakeKeyVault(options: { pageSize?: number } = {}): Promise<FakeKeyVault> {
  const secrets = new Map<string, SecretVersion[]>();
  const keys = new Map<string, RsaVersion[]>();
  const pageSize = options.pageSize ?? 2;
  const calls = new Map<string, number>();
  const state = { failWith: undefined as number | undefined };
  let base = '';

  const send = (res: ServerResponse, status: number, body?: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, code: string, message: string): void =>
    send(res, status, { error: { code, message } });
  const secretBundle = (name: string, v: SecretVersion): unknown => ({
    id: `${base}/secrets/${name}/${v.version}`, value: v.value,
    attributes: { enabled: v.enabled, created: 1_700_000_000, updated: 1_700_000_000, recoveryLevel: 'Recoverable' },
  });
  const keyBundle = (name: string, v: RsaVersion): unknown => {
    const jwk = v.pub.export({ format: 'jwk' }) as { n: string; e: string };
    return {
      key: { kid: `${base}/keys/${name}/${v.version}`, kty: 'RSA', key_ops: ['wrapKey', 'unwrapKey'], n: jwk.n, e: jwk.e },
      attributes: { enabled: true, created: 1_700_000_000, updated: 1_700_000_000, recoveryLevel: 'Recoverable' },
    };
  };
  const findKey = (name: string, version: string | undefined): { name: string; v: RsaVersion } | undefined => {
    const versions = keys.get(name);
    const v = version ? versions?.find((x) => x.version === version) : versions?.at(-1);
    return v ? { name, v } : undefined;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (!/^Bearer .+/.test(req.headers.authorization ?? '')) {
      // The clients' challenge policy first sends an unauthenticated request to learn the token scope.
      res.writeHead(401, { 'www-authenticate': `Bearer authorization="${base}/fake-tenant", resource="https://vault.azure.net"` });
      return void res.end();
    }
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> : {};
    const seg = url.pathname.split('/').filter(Boolean);
    const op = `${req.method} ${seg[0] ?? ''}${seg.length > 2 ? `/${seg.slice(2).filter((s) => !/^[0-9a-f]{32}$/.test(s)).join('/')}` : ''}`;
    calls.set(op, (calls.get(op) ?? 0) + 1);
    if (state.failWith !== undefined) return error(res, state.failWith, 'Injected', 'injected failure');

    if (seg[0] === 'secrets') {
      if (req.method === 'GET' && seg.length === 1) {
        const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
        const names = [...secrets.keys()].sort();
        const page = names.slice(skip, skip + pageSize).map((n) => ({
          id: `${base}/secrets/${n}`, attributes: { enabled: (secrets.get(n)?.at(-1)?.enabled) ?? true },
        }));
        const nextLink = skip + pageSize < names.length ? `${base}/secrets?api-version=7.5&$skiptoken=${skip + pageSize}` : null;
        return send(res, 200, { value: page, nextLink });
      }
      const name = seg[1] as string;
      if (req.method === 'PUT' && seg.length === 2) {
        const v = { version: randomUUID().replace(/-/g, ''), value: String(body.value ?? ''), enabled: true };
        secrets.set(name, [...(secrets.get(name) ?? []), v]);
        return send(res, 200, secretBundle(name, v));
      }
      if (req.method === 'GET') {
        const versions = secrets.get(name);
        const v = seg[2] ? versions?.find((x) => x.version === seg[2]) : versions?.at(-1);
        if (!v) return error(res, 404, 'SecretNotFound', `A secret with (name/id) ${name} was not found in this key vault.`);
        if (!v.enabled) return error(res, 403, 'Forbidden', `Operation get is not allowed on a disabled secret.`);
        return send(res, 200, secretBundle(name, v));
      }
    }
    if (seg[0] === 'keys' && seg[1]) {
      const name = seg[1];
      if (req.method === 'POST' && seg[2] === 'create') {
        const kid = api.createRsaKey(name);
        return send(res, 200, keyBundle(name, findKey(name, kid.split('/').pop())!.v));
      }
      const last = seg.at(-1);
      const isOp = last === 'wrapkey' || last === 'unwrapkey';
      const version = isOp ? (seg.length === 4 ? seg[2] : undefined) : seg[2];
      const found = findKey(name, version);
      if (!found) return error(res, 404, 'KeyNotFound', `A key with (name/id) ${name} was not found in this key vault.`);
      if (req.method === 'GET' && !isOp) return send(res, 200, keyBundle(name, found.v));
      if (req.method === 'POST' && isOp) {
        if (body.alg !== 'RSA-OAEP-256') return error(res, 400, 'BadParameter', 'Unsupported algorithm in this fake');
        const input = Buffer.from(String(body.value ?? ''), 'base64url');
        const rsa = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' };
        try {
          const out = last === 'wrapkey' ? publicEncrypt({ key: found.v.pub, ...rsa }, input) : privateDecrypt({ key: found.v.priv, ...rsa }, input);
          return send(res, 200, { kid: `${base}/keys/${name}/${found.v.version}`, value: b64url(out) });
        } catch {
          return error(res, 400, 'BadParameter', 'Unwrap failed: the wrapped key could not be decrypted.');
        }
      }
    }
    return error(res, 400, 'BadRequest', `fake Key Vault does not implement ${req.method} ${url.pathname}`);
  }

  const server: Server = createServer(certificate(), (req, res) => {
    handle(req, res).catch((err: unknown) => error(res, 500, 'InternalError', String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const api: FakeKeyVault = {
    url: base,
    get failWith() { return state.failWith; },
    set failWith(v) { state.failWith = v; },
    calls,
    setSecret(name, value) {
      secrets.set(name, [...(secrets.get(name) ?? []), { version: randomUUID().replace(/-/g, ''), value, enabled: true }]);
    },
    disableSecret(name) {
      for (const v of secrets.get(name) ?? []) v.enabled = false;
    },
    deleteSecret(name) {
      secrets.delete(name);
    },
    createRsaKey(name) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const v = { version: randomUUID().replace(/-/g, ''), priv: privateKey, pub: publicKey };
      keys.set(name, [...(keys.get(name) ?? []), v]);
      return `${base}/keys/${name}/${v.version}`;
    },
    stop: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  return api;
}

/** A TokenCredential that hands out a dummy token (the fake accepts any bearer token). */
export const fakeAzureCredential = {
  getToken: async (): Promise<{ token: string; expiresOnTimestamp: number }> => ({ token: 'fake-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/** Client options that make the real Azure clients talk to the fake. */
export function fakeKeyVaultClientOptions(): Record<string, unknown> {
  return {
    serviceVersion: '7.5',
    disableChallengeResourceVerification: true,
    tlsOptions: { ca: fakeKeyVaultCa() },
    retryOptions: { maxRetries: 0 },
  };
}
