import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api } from '../api/client';
import { sessionFromTokens, setSession } from '../api/session';
import { Button, TextField } from '../ui/controls';
import { FormError } from '../ui/states';

/** First-run setup (create the first admin) and sign-in, outside the console's shell. */

function AuthCard({ title, intro, children }: { title: string; intro: string; children: React.ReactNode }) {
  return (
    <main className="auth-page" id="main">
      <div className="auth-card">
        <div className="brand brand-lg" aria-hidden="true">
          <img src="/favicon.svg" alt="" width={32} height={32} /> Switchboard
        </div>
        <h1>{title}</h1>
        <p className="muted">{intro}</p>
        {children}
      </div>
    </main>
  );
}

/** The way in without an account, offered when the gateway trusts this machine (allowUnauthenticatedLoopback). */
function LocalOperatorNotice({ onLocal }: { onLocal: () => void }) {
  return (
    <div className="notice">
      <p>This gateway accepts requests without credentials from this machine (<code>allowUnauthenticatedLoopback</code>).</p>
      <Button onClick={onLocal}>Continue as the local operator</Button>
    </div>
  );
}

export function SetupPage({ onDone, localAvailable = false, onLocal }: { onDone: () => void; localAvailable?: boolean; onLocal?: () => void }) {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const setup = useMutation({
    mutationFn: () => api.post('/auth/setup', { body: { username, password } }),
    onSuccess: (t) => {
      setSession(sessionFromTokens(t));
      onDone();
    },
  });
  const mismatch = confirm !== '' && confirm !== password;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!mismatch) setup.mutate();
  };
  return (
    <AuthCard title="Welcome — create the first admin" intro="This gateway has no accounts yet. The first account is an administrator; you can add more users and API keys afterwards.">
      <form onSubmit={submit} className="stack">
        <TextField label="Username" value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="username" pattern="[A-Za-z0-9][A-Za-z0-9_.@\-]{0,63}" hint="Up to 64 letters, digits and . _ - @, starting with a letter or digit" />
        <TextField label="Password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={8} autoComplete="new-password" hint="At least 8 characters" />
        <TextField label="Repeat password" type="password" value={confirm} onChange={(e) => setConfirm(e.target.value)} required autoComplete="new-password" error={mismatch ? 'The passwords differ' : undefined} />
        <FormError error={setup.error} />
        <Button type="submit" variant="primary" busy={setup.isPending}>
          Create admin and sign in
        </Button>
      </form>
      {localAvailable && onLocal && <LocalOperatorNotice onLocal={onLocal} />}
    </AuthCard>
  );
}

export function LoginPage({ onDone, localAvailable, onLocal }: { onDone: () => void; localAvailable: boolean; onLocal: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const login = useMutation({
    mutationFn: () => api.post('/auth/login', { body: { username, password } }),
    onSuccess: (t) => {
      setSession(sessionFromTokens(t));
      onDone();
    },
  });
  return (
    <AuthCard title="Sign in" intro="Sign in to manage this Switchboard gateway.">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          login.mutate();
        }}
        className="stack"
      >
        <TextField label="Username" value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="username" autoFocus />
        <TextField label="Password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="current-password" />
        <FormError error={login.error} />
        <Button type="submit" variant="primary" busy={login.isPending}>
          Sign in
        </Button>
      </form>
      {localAvailable && <LocalOperatorNotice onLocal={onLocal} />}
    </AuthCard>
  );
}
