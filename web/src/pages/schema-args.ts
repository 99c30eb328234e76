/**
 * A form generated from a tool's JSON input schema. Scalars get real inputs (enums a select,
 * booleans a checkbox); arrays and objects get a JSON text area. The form edits raw strings so a
 * half-typed number is not lost; `toArguments` turns them into the call's arguments and reports
 * what is missing or malformed.
 */

type JsonSchema = Record<string, any>;
export type FormValues = Record<string, string | boolean>;

export interface SchemaField {
  name: string;
  schema: JsonSchema;
  required: boolean;
  kind: 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json';
}

function kindOf(s: JsonSchema): SchemaField['kind'] {
  if (Array.isArray(s['enum']) && s['enum'].every((v: unknown) => typeof v === 'string')) return 'enum';
  const t = Array.isArray(s['type']) ? s['type'].find((x: string) => x !== 'null') : s['type'];
  if (t === 'string' || t === 'number' || t === 'integer' || t === 'boolean') return t;
  if (!t && Array.isArray(s['anyOf'])) {
    const scalar = s['anyOf'].find((x: JsonSchema) => x['type'] && x['type'] !== 'null');
    if (scalar) return kindOf(scalar);
  }
  return 'json';
}

export function fieldsOf(schema: JsonSchema | null | undefined): SchemaField[] {
  const props = (schema?.['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set<string>(schema?.['required'] ?? []);
  return Object.entries(props).map(([name, s]) => ({ name, schema: s, required: required.has(name), kind: kindOf(s) }));
}

/** Initial values: the schema's defaults, as strings for the inputs. */
export function initialValues(fields: SchemaField[]): FormValues {
  const out: FormValues = {};
  for (const f of fields) {
    const d = f.schema['default'];
    if (f.kind === 'boolean') out[f.name] = d === true;
    else if (d === undefined) out[f.name] = '';
    else out[f.name] = f.kind === 'json' ? JSON.stringify(d, null, 2) : String(d);
  }
  return out;
}

/** The arguments object, or per-field errors. Empty optional fields are left out. */
export function toArguments(fields: SchemaField[], values: FormValues): { args?: Record<string, unknown>; errors: Record<string, string> } {
  const args: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const raw = values[f.name];
    if (f.kind === 'boolean') {
      if (raw === true || f.required) args[f.name] = raw === true;
      continue;
    }
    const text = typeof raw === 'string' ? raw : '';
    if (text.trim() === '') {
      if (f.required) errors[f.name] = 'Required';
      continue;
    }
    if (f.kind === 'number' || f.kind === 'integer') {
      const n = Number(text);
      if (!Number.isFinite(n) || (f.kind === 'integer' && !Number.isInteger(n))) errors[f.name] = f.kind === 'integer' ? 'A whole number' : 'A number';
      else args[f.name] = n;
    } else if (f.kind === 'json') {
      try {
        args[f.name] = JSON.parse(text);
      } catch {
        errors[f.name] = 'Not valid JSON';
      }
    } else args[f.name] = text;
  }
  return Object.keys(errors).length ? { errors } : { args, errors };
}
