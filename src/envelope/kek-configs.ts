// Parses `envelope_kek_configs` in both spellings: the one Kryptonite's code reads ({identifier, kek_type,
// kek_uri, kek_config} with kek_config as JSON text) and the one its documentation shows ({identifier, type,
// uri, config} with an object), normalised to EnvelopeKekEntry.
import type { EnvelopeKekEntry } from '../config/types';

export type ReportProblem = (path: string, message: string) => void;

const KEK_TYPES = ['AWS', 'GCP', 'AZURE'] as const;
const URI_PREFIX: Record<(typeof KEK_TYPES)[number], string> = { AWS: 'aws-kms://', GCP: 'gcp-kms://', AZURE: 'azure-kv://' };
// code spelling → documented spelling
const FIELDS = { kek_type: 'type', kek_uri: 'uri', kek_config: 'config' } as const;
const KNOWN = new Set(['identifier', ...Object.keys(FIELDS), ...Object.values(FIELDS)]);

/** `list` is the already JSON-decoded option value (undefined when unset). */
export function parseEnvelopeKekConfigs(list: unknown, report: ReportProblem, path = 'envelope_kek_configs'): EnvelopeKekEntry[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    report(path, 'must be a JSON array of {identifier, kek_type, kek_uri, kek_config} objects');
    return [];
  }
  const out: EnvelopeKekEntry[] = [];
  const seen = new Set<string>();
  list.forEach((entry: unknown, i) => {
    const at = `${path}[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) { report(at, 'must be an object'); return; }
    const e = entry as Record<string, unknown>;
    let ok = true;
    for (const k of Object.keys(e)) {
      if (!KNOWN.has(k)) { report(`${at}.${k}`, 'unknown key (expected identifier, kek_type, kek_uri, kek_config)'); ok = false; }
    }
    const pick = (name: keyof typeof FIELDS): unknown => {
      const alt = FIELDS[name];
      if (e[name] !== undefined && e[alt] !== undefined) {
        report(`${at}.${name}`, `given twice (as ${name} and ${alt})`);
        ok = false;
      }
      return e[name] ?? e[alt];
    };
    const identifier = e.identifier;
    if (typeof identifier !== 'string' || identifier.trim() === '') { report(`${at}.identifier`, 'is blank or missing'); ok = false; }
    const kekType = pick('kek_type');
    if (kekType === undefined || kekType === '') { report(`${at}.kek_type`, 'is blank or missing'); ok = false; }
    else if (typeof kekType !== 'string' || !(KEK_TYPES as readonly string[]).includes(kekType)) {
      report(`${at}.kek_type`, `must be one of ${KEK_TYPES.join(', ')} (got ${typeof kekType === 'string' ? `'${kekType}'` : typeof kekType})`);
      ok = false;
    }
    const kekUri = pick('kek_uri');
    if (typeof kekUri !== 'string' || kekUri.trim() === '') { report(`${at}.kek_uri`, 'is blank or missing'); ok = false; }
    else if (ok && !kekUri.toLowerCase().startsWith(URI_PREFIX[kekType as keyof typeof URI_PREFIX])) {
      report(`${at}.kek_uri`, `must start with ${URI_PREFIX[kekType as keyof typeof URI_PREFIX]} for kek_type ${String(kekType)}`);
      ok = false;
    }
    const kekConfig = readConfig(pick('kek_config'), `${at}.kek_config`, report);
    if (kekConfig === undefined) ok = false;
    if (typeof identifier === 'string' && seen.has(identifier)) { report(`${at}.identifier`, `duplicate identifier '${identifier}'`); ok = false; }
    if (typeof identifier === 'string') seen.add(identifier);
    if (ok) {
      out.push({ identifier: identifier as string, kekType: kekType as EnvelopeKekEntry['kekType'], kekUri: kekUri as string, kekConfig: kekConfig! });
    }
  });
  return out;
}

function readConfig(value: unknown, path: string, report: ReportProblem): Record<string, unknown> | undefined {
  if (value === undefined || value === null || value === '') return {};
  let v: unknown = value;
  if (typeof value === 'string') {
    try {
      v = JSON.parse(value) as unknown;
    } catch {
      // The text holds credentials; say only that it is not JSON.
      report(path, 'is not valid JSON text');
      return undefined;
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    report(path, 'must be a JSON object (or JSON text of one)');
    return undefined;
  }
  return v as Record<string, unknown>;
}
