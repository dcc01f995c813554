// Prints a protobufjs reflection tree back as .proto text (the registry stores schema text, and protobufjs has
// no printer of its own). Covers what record schemas use: messages, nested types, enums, maps, oneofs, proto3
// optional, reserved ranges and the common field options; services and custom options are left out.
import protobuf from 'protobufjs';

const SIMPLE_OPTIONS = new Set(['deprecated', 'packed', 'json_name']);

function optionList(opts: Record<string, unknown> | undefined, extra: string[] = []): string {
  const parts = [...extra];
  for (const [k, v] of Object.entries(opts ?? {})) {
    if (!SIMPLE_OPTIONS.has(k)) continue;
    parts.push(`${k} = ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
  }
  return parts.length === 0 ? '' : ` [${parts.join(', ')}]`;
}

function typeName(f: protobuf.Field): string {
  const rt = f.resolvedType;
  return rt === null ? f.type : rt.fullName; // leading dot: fully qualified, independent of scope
}

function printField(f: protobuf.Field, proto3: boolean, ind: string): string {
  const defaults = f.options?.default !== undefined && !proto3 ? [`default = ${typeof f.options.default === 'string' && !(f.resolvedType instanceof protobuf.Enum) ? JSON.stringify(f.options.default) : String(f.options.default)}`] : [];
  if (f instanceof protobuf.MapField) {
    return `${ind}map<${f.keyType}, ${typeName(f)}> ${f.name} = ${f.id}${optionList(f.options)};`;
  }
  let label = '';
  if (f.repeated) label = 'repeated ';
  else if (f.options?.proto3_optional === true) label = 'optional ';
  else if (!proto3 && f.partOf === null) label = f.required ? 'required ' : 'optional ';
  return `${ind}${label}${typeName(f)} ${f.name} = ${f.id}${optionList(f.options, defaults)};`;
}

function printReserved(reserved: (number[] | string)[] | undefined, ind: string): string[] {
  if (!reserved || reserved.length === 0) return [];
  const ranges = reserved.filter((r): r is number[] => Array.isArray(r)).map(([a, b]) => (a === b ? `${a}` : b === 536870911 ? `${a} to max` : `${a} to ${b}`));
  const names = reserved.filter((r): r is string => typeof r === 'string').map((n) => JSON.stringify(n));
  return [...(ranges.length ? [`${ind}reserved ${ranges.join(', ')};`] : []), ...(names.length ? [`${ind}reserved ${names.join(', ')};`] : [])];
}

function printEnum(e: protobuf.Enum, ind: string): string[] {
  const lines = [`${ind}enum ${e.name} {`];
  const ids = Object.values(e.values);
  if (new Set(ids).size !== ids.length) lines.push(`${ind}  option allow_alias = true;`);
  for (const [name, id] of Object.entries(e.values)) lines.push(`${ind}  ${name} = ${id};`);
  lines.push(...printReserved(e.reserved, `${ind}  `), `${ind}}`);
  return lines;
}

function printType(t: protobuf.Type, proto3: boolean, ind: string): string[] {
  const lines = [`${ind}message ${t.name} {`];
  const inner = `${ind}  `;
  for (const n of t.nestedArray) lines.push(...printNested(n, proto3, inner));
  const inOneof = new Set<protobuf.Field>();
  for (const o of t.oneofsArray) {
    const synthetic = o.fieldsArray.length === 1 && o.fieldsArray[0]?.options?.proto3_optional === true;
    if (synthetic) continue;
    lines.push(`${inner}oneof ${o.name} {`);
    for (const f of o.fieldsArray) { inOneof.add(f); lines.push(`${inner}  ${typeName(f)} ${f.name} = ${f.id}${optionList(f.options)};`); }
    lines.push(`${inner}}`);
  }
  for (const f of t.fieldsArray) if (!inOneof.has(f)) lines.push(printField(f, proto3, inner));
  lines.push(...printReserved(t.reserved, inner), `${ind}}`);
  return lines;
}

function printNested(n: protobuf.ReflectionObject, proto3: boolean, ind: string): string[] {
  if (n instanceof protobuf.Type) return printType(n, proto3, ind);
  if (n instanceof protobuf.Enum) return printEnum(n, ind);
  return [];
}

/** The .proto text of the types in `ns` (the file's package namespace), with the given imports. */
export function printProtoFile(ns: protobuf.Namespace, pkg: string | undefined, imports: readonly string[], proto3: boolean): string {
  const lines = [`syntax = "${proto3 ? 'proto3' : 'proto2'}";`];
  if (pkg) lines.push(`package ${pkg};`);
  for (const i of imports) lines.push(`import ${JSON.stringify(i)};`);
  lines.push('');
  for (const n of ns.nestedArray) {
    if (pkg === undefined && n instanceof protobuf.Namespace && !(n instanceof protobuf.Type) && !(n instanceof protobuf.Service)) continue; // imported packages
    lines.push(...printNested(n, proto3, ''));
  }
  return lines.join('\n') + '\n';
}
