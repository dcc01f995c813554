// kms_config / kek_config for GCP in every shape users have: the service-account key JSON itself (what
// Kryptonite 0.7.0 really parses, project from its project_id), the documented wrapper
// {"credentials": <JSON string or object>, "projectId"}, or nothing / {projectId} for Application
// Default Credentials. Extensions: endpoint ("host[:port]"), emulator (plaintext gRPC, no auth),
// universeDomain.
import { dirname } from 'node:path';
import { ConfigError } from '../../errors';
import { configObject, definedOnly, optionalBoolean, optionalString, type ConfigObject } from '../../keys/provider-config';
import { requireOptional } from '../../keys/optional-require';

export interface GcpProviderOptions {
  /** Merged last into the client constructor options (tests: sslCreds, port, ...). */
  clientOptions?: Record<string, unknown>;
  /** Deadline of one RPC (default 30 s); our own bounded retries replace the clients' long retry loops. */
  callTimeoutMs?: number;
}

export interface GcpConnection {
  projectId?: string;
  credentials?: { client_email: string; private_key: string };
  apiEndpoint?: string;
  port?: number;
  emulator: boolean;
  universeDomain: string;
}

function credentialsOf(sa: ConfigObject, option: string): GcpConnection['credentials'] {
  const email = optionalString(sa, 'client_email', option);
  const key = optionalString(sa, 'private_key', option);
  if (email === undefined && key === undefined) return undefined;
  if (email === undefined || key === undefined) {
    throw new ConfigError('CONFIG_INVALID', `${option}: a service-account key needs both client_email and private_key`);
  }
  return { client_email: email, private_key: key };
}

export function readGcpConfig(raw: unknown, option: string): GcpConnection {
  const cfg = configObject(raw, option);
  // The service-account JSON itself (has "type"/"private_key"), or the documented wrapper.
  const isSaJson = cfg.type !== undefined || cfg.private_key !== undefined || cfg.client_email !== undefined;
  const sa = isSaJson ? cfg : cfg.credentials !== undefined ? configObject(cfg.credentials, `${option}.credentials`) : undefined;
  const saOption = isSaJson ? option : `${option}.credentials`;
  const projectId = (isSaJson ? undefined : optionalString(cfg, 'projectId', option))
    ?? (sa ? optionalString(sa, 'project_id', saOption) : undefined);
  let apiEndpoint: string | undefined;
  let port: number | undefined;
  const endpoint = optionalString(cfg, 'endpoint', option);
  if (endpoint !== undefined) {
    const m = /^(?:https?:\/\/)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(endpoint);
    if (!m || !m[1]) throw new ConfigError('CONFIG_INVALID', `${option}.endpoint must be host or host:port`);
    apiEndpoint = m[1].replace(/^\[|\]$/g, '');
    port = m[2] !== undefined ? Number(m[2]) : undefined;
  }
  const universeDomain = optionalString(cfg, 'universeDomain', option)
    ?? (sa ? optionalString(sa, 'universe_domain', saOption) : undefined) ?? 'googleapis.com';
  return {
    projectId,
    credentials: sa ? credentialsOf(sa, saOption) : undefined,
    apiEndpoint, port,
    emulator: optionalBoolean(cfg, 'emulator', option) ?? false,
    universeDomain,
  };
}

/** The grpc-js instance of the google-gax that a client package uses (credentials must come from it). */
function gaxGrpc(clientPkg: string): { credentials: { createInsecure(): unknown } } {
  const gaxPath = require.resolve('google-gax', { paths: [dirname(require.resolve(clientPkg))] });
  return requireOptional<{ grpc: { credentials: { createInsecure(): unknown } } }>(gaxPath, clientPkg).grpc;
}

/**
 * Client options. universeDomain is always set: without it google-gax asks the auth library, which
 * probes the GCE metadata server when no credentials are configured.
 */
export function gcpClientOptions(conn: GcpConnection, clientPkg: string, options: GcpProviderOptions = {}): Record<string, unknown> {
  return {
    ...definedOnly({
      projectId: conn.projectId,
      credentials: conn.emulator ? undefined : conn.credentials,
      apiEndpoint: conn.apiEndpoint,
      port: conn.port,
      sslCreds: conn.emulator ? gaxGrpc(clientPkg).credentials.createInsecure() : undefined,
    }),
    universeDomain: conn.universeDomain,
    ...options.clientOptions,
  };
}

/** Per-call options: one deadline, no client-side retry loop (ours is bounded and classified). */
export function gcpCallOptions(options: GcpProviderOptions): { timeout: number; retry: null } {
  return { timeout: options.callTimeoutMs ?? 30_000, retry: null };
}
