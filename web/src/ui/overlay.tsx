import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * Modal dialogs and side drawers on the native <dialog> element: the browser traps focus, closes on
 * Escape and restores focus to the opener, which a hand-rolled overlay rarely gets right.
 */

function useModal(open: boolean, onClose: () => void) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    const cancel = (e: Event) => {
      e.preventDefault();
      onClose();
    };
    d.addEventListener('cancel', cancel);
    return () => d.removeEventListener('cancel', cancel);
  }, [onClose]);
  return ref;
}

export function Dialog({ open, title, onClose, children, footer }: { open: boolean; title: string; onClose: () => void; children: ReactNode; footer?: ReactNode }) {
  const ref = useModal(open, onClose);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="dialog-title">
      {open && (
        <>
          <header className="dialog-head">
            <h2 id="dialog-title">{title}</h2>
            <button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>
              ×
            </button>
          </header>
          <div className="dialog-body">{children}</div>
          {footer && <footer className="dialog-foot">{footer}</footer>}
        </>
      )}
    </dialog>
  );
}

export function Drawer({ open, title, onClose, children }: { open: boolean; title: string; onClose: () => void; children: ReactNode }) {
  const ref = useModal(open, onClose);
  return (
    <dialog ref={ref} className="drawer" aria-labelledby="drawer-title" onClick={(e) => e.target === ref.current && onClose()}>
      {open && (
        <div className="drawer-inner">
          <header className="dialog-head">
            <h2 id="drawer-title">{title}</h2>
            <button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>
              ×
            </button>
          </header>
          <div className="drawer-body">{children}</div>
        </div>
      )}
    </dialog>
  );
}

interface Confirm {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  resolve: (ok: boolean) => void;
}

const ConfirmContext = createContext<(c: Omit<Confirm, 'resolve'>) => Promise<boolean>>(async () => false);

/** `await confirm({ title, body, confirmLabel })` for destructive actions. */
export function useConfirm() {
  return useContext(ConfirmContext);
}

export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<Confirm | undefined>();
  const ask = useCallback((c: Omit<Confirm, 'resolve'>) => new Promise<boolean>((resolve) => setPending({ ...c, resolve })), []);
  const done = (ok: boolean) => {
    pending?.resolve(ok);
    setPending(undefined);
  };
  return (
    <ConfirmContext.Provider value={ask}>
      {children}
      <Dialog
        open={pending !== undefined}
        title={pending?.title ?? ''}
        onClose={() => done(false)}
        footer={
          <>
            <button type="button" className="btn" onClick={() => done(false)}>
              Cancel
            </button>
            <button type="button" className={`btn ${pending?.danger ? 'btn-danger' : 'btn-primary'}`} onClick={() => done(true)} autoFocus>
              {pending?.confirmLabel}
            </button>
          </>
        }
      >
        {pending?.body}
      </Dialog>
    </ConfirmContext.Provider>
  );
}
