import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

/** Loading, empty and error states: every data view shows one of these instead of a blank area. */

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Empty({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children && <div className="muted">{children}</div>}
      {action && <div className="state-action">{action}</div>}
    </div>
  );
}

/** An error from the API with its stable code and the server's hint, or any other error. */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const e = error instanceof ApiError ? error : undefined;
  const message = e?.message ?? (error instanceof Error ? error.message : String(error));
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{e ? e.code : 'Something went wrong'}</p>
      <p>{message}</p>
      {e?.hint && <p className="muted">{e.hint}</p>}
      {onRetry && (
        <button type="button" className="btn" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Render a query's loading and error states, or its data. */
export function QueryView<T>({ query, children, loading }: { query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown }; children: (data: T) => ReactNode; loading?: string }) {
  if (query.isPending) return <Loading label={loading} />;
  if (query.error || query.data === undefined) return <ErrorNotice error={query.error ?? 'No data'} onRetry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}

/** A short inline error under a form. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error instanceof ApiError ? error : undefined;
  const issues = (e?.details as { issues?: { path: string; message: string }[] } | undefined)?.issues;
  return (
    <div className="form-error" role="alert">
      <strong>{e?.code ?? 'Error'}</strong> {e?.message ?? (error instanceof Error ? error.message : String(error))}
      {issues && issues.length > 0 && (
        <ul>
          {issues.map((i) => (
            <li key={`${i.path}${i.message}`}>
              <code>{i.path}</code> {i.message}
            </li>
          ))}
        </ul>
      )}
      {e?.hint && <div className="muted">{e.hint}</div>}
    </div>
  );
}
