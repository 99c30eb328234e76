import { Checkbox, SelectField, TextArea, TextField } from '../ui/controls';
import type { FormValues, SchemaField } from './schema-args';

function hintOf(f: SchemaField): string | undefined {
  const parts = [f.schema['description'], f.kind === 'json' ? `JSON ${f.schema['type'] ?? 'value'}` : undefined];
  if (f.schema['minimum'] !== undefined || f.schema['maximum'] !== undefined) parts.push(`${f.schema['minimum'] ?? '…'} to ${f.schema['maximum'] ?? '…'}`);
  return parts.filter(Boolean).join(' · ') || undefined;
}

/** The form for a tool's arguments; which fields and how they become arguments is schema-args.ts. */
export function SchemaForm({ fields, values, errors, onChange }: { fields: SchemaField[]; values: FormValues; errors: Record<string, string>; onChange: (v: FormValues) => void }) {
  if (fields.length === 0) return <p className="muted">This tool takes no arguments.</p>;
  const set = (name: string, v: string | boolean) => onChange({ ...values, [name]: v });
  return (
    <div className="stack">
      {fields.map((f) => {
        const label = `${f.schema['title'] ?? f.name}`;
        const common = { label, hint: hintOf(f), error: errors[f.name], required: f.required };
        switch (f.kind) {
          case 'boolean':
            return <Checkbox key={f.name} label={label} hint={hintOf(f)} checked={values[f.name] === true} onChange={(e) => set(f.name, e.target.checked)} />;
          case 'enum':
            return <SelectField key={f.name} {...common} value={String(values[f.name] ?? '')} onChange={(e) => set(f.name, e.target.value)} options={[...(f.required ? [] : [{ value: '', label: '(not set)' }]), ...(f.schema['enum'] as string[])]} />;
          case 'json':
            return <TextArea key={f.name} {...common} rows={4} className="mono" value={String(values[f.name] ?? '')} onChange={(e) => set(f.name, e.target.value)} spellCheck={false} />;
          default: {
            const numeric = f.kind === 'number' || f.kind === 'integer';
            const long = !numeric && (f.schema['maxLength'] ?? 0) > 200;
            return long ? (
              <TextArea key={f.name} {...common} rows={3} value={String(values[f.name] ?? '')} onChange={(e) => set(f.name, e.target.value)} />
            ) : (
              <TextField key={f.name} {...common} type="text" inputMode={numeric ? 'decimal' : undefined} value={String(values[f.name] ?? '')} onChange={(e) => set(f.name, e.target.value)} />
            );
          }
        }
      })}
    </div>
  );
}
