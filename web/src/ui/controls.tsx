import { useId, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

/** Form controls with their labels wired up, and small display pieces (badges, key/value lists). */

type Variant = 'primary' | 'danger' | 'ghost' | 'default';

export function Button({ variant = 'default', busy, children, className, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; busy?: boolean }) {
  return (
    <button type="button" className={`btn ${variant !== 'default' ? `btn-${variant}` : ''} ${className ?? ''}`} disabled={busy || rest.disabled} aria-busy={busy || undefined} {...rest}>
      {busy && <span className="spinner spinner-sm" aria-hidden="true" />}
      {children}
    </button>
  );
}

interface FieldProps {
  label: string;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  children: (id: string, describedBy: string | undefined) => ReactNode;
}

/** A label, the control, its hint and its error, linked by ids for screen readers. */
export function Field({ label, hint, error, required, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errId = error ? `${id}-err` : undefined;
  const describedBy = [hintId, errId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${error ? 'field-invalid' : ''}`}>
      <div className="field-label">
        <label htmlFor={id}>{label}</label>
        {/* Outside the label so the control's name stays the label; `required` on the control announces it. */}
        {required && (
          <span className="req" aria-hidden="true">
            *
          </span>
        )}
      </div>
      {children(id, describedBy)}
      {hint && (
        <div id={hintId} className="field-hint">
          {hint}
        </div>
      )}
      {error && (
        <div id={errId} className="field-error">
          {error}
        </div>
      )}
    </div>
  );
}

export function TextField({ label, hint, error, ...rest }: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: ReactNode; error?: string }) {
  return (
    <Field label={label} hint={hint} error={error} required={rest.required}>
      {(id, d) => <input id={id} aria-describedby={d} aria-invalid={error ? true : undefined} {...rest} />}
    </Field>
  );
}

export function TextArea({ label, hint, error, ...rest }: TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; hint?: ReactNode; error?: string }) {
  return (
    <Field label={label} hint={hint} error={error} required={rest.required}>
      {(id, d) => <textarea id={id} aria-describedby={d} aria-invalid={error ? true : undefined} {...rest} />}
    </Field>
  );
}

export function SelectField({ label, hint, options, ...rest }: SelectHTMLAttributes<HTMLSelectElement> & { label: string; hint?: ReactNode; options: readonly (string | { value: string; label: string })[] }) {
  return (
    <Field label={label} hint={hint} required={rest.required}>
      {(id, d) => (
        <select id={id} aria-describedby={d} {...rest}>
          {options.map((o) => {
            const { value, label: text } = typeof o === 'string' ? { value: o, label: o } : o;
            return (
              <option key={value} value={value}>
                {text}
              </option>
            );
          })}
        </select>
      )}
    </Field>
  );
}

export function Checkbox({ label, hint, ...rest }: InputHTMLAttributes<HTMLInputElement> & { label: ReactNode; hint?: ReactNode }) {
  const id = useId();
  return (
    <div className="check">
      <input type="checkbox" id={id} aria-describedby={hint ? `${id}-hint` : undefined} {...rest} />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <div id={`${id}-hint`} className="field-hint">
          {hint}
        </div>
      )}
    </div>
  );
}

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'neutral';

export function Badge({ tone = 'neutral', children, title }: { tone?: Tone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

const LEVEL_TONE: Record<string, Tone> = { healthy: 'ok', degraded: 'warn', unhealthy: 'bad' };
const STATUS_TONE: Record<string, Tone> = { ok: 'ok', allowed: 'ok', error: 'bad', denied: 'warn', cancelled: 'neutral', started: 'info', active: 'ok', revoked: 'neutral', expired: 'warn' };

/** A server's health level, with the admin state when that is what matters (disabled, quarantined). */
export function HealthBadge({ level, adminState }: { level: string; adminState?: string }) {
  if (adminState && adminState !== 'enabled') return <Badge tone={adminState === 'quarantined' ? 'warn' : 'neutral'}>{adminState}</Badge>;
  return <Badge tone={LEVEL_TONE[level] ?? 'neutral'}>{level}</Badge>;
}

export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={STATUS_TONE[status] ?? 'neutral'}>{status}</Badge>;
}

/** A definition list for "label: value" details. */
export function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Pretty JSON in a scrollable, focusable block. */
export function JsonBlock({ value, label }: { value: unknown; label?: string }) {
  return (
    <pre className="json" tabIndex={0} aria-label={label ?? 'JSON'}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
