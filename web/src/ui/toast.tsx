import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';

/** Short confirmations and failures of actions, announced to screen readers. */

interface Toast {
  id: number;
  tone: 'ok' | 'bad';
  text: string;
}

interface Toaster {
  ok(text: string): void;
  fail(error: unknown): void;
}

const ToastContext = createContext<Toaster>({ ok: () => undefined, fail: () => undefined });

export function useToast(): Toaster {
  return useContext(ToastContext);
}

let nextId = 1;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const push = useCallback((tone: Toast['tone'], text: string) => {
    const id = nextId++;
    setToasts((t) => [...t.slice(-3), { id, tone, text }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), tone === 'bad' ? 8000 : 4000);
  }, []);
  const [api] = useState<Toaster>(() => ({
    ok: (text) => push('ok', text),
    fail: (error) => push('bad', error instanceof ApiError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error)),
  }));
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone}`}>
            {t.text}
            <button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => setToasts((all) => all.filter((x) => x.id !== t.id))}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
