/** Sign in with email and password (POST /api/auth/login), or paste an API token. */
import { useState } from 'preact/hooks';
import { ApiError, api, session } from '../api.js';
import type { User } from '../types.js';

export function LoginPage() {
  const [mode, setMode] = useState<'password' | 'token'>('password');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      if (mode === 'password') {
        const s = await api<{ token: string; expiresAt: number; user: User }>('/api/auth/login', { method: 'POST', body: { email: form.get('email'), password: form.get('password') } });
        session.set({ token: s.token, user: s.user, expiresAt: s.expiresAt });
      } else {
        const token = String(form.get('token')).trim();
        session.set({ token, user: { id: '', email: '', name: '', role: 'customer', customerId: null }, expiresAt: null });
        const me = await api<{ user: User }>('/api/auth/me');
        session.set({ token, user: me.user, expiresAt: null });
      }
      if (location.hash === '') location.hash = '#/fleet';
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? (mode === 'password' ? 'Wrong email or password.' : 'That token is not valid.') : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="login">
      <h1>ledwatch</h1>
      <p class="muted">Remote monitoring of LED display installations</p>
      <form onSubmit={(e) => void submit(e)} class="card stack">
        {mode === 'password' ? (
          <>
            <label>
              Email
              <input name="email" type="email" autocomplete="username" required />
            </label>
            <label>
              Password
              <input name="password" type="password" autocomplete="current-password" required />
            </label>
          </>
        ) : (
          <label>
            API token
            <input name="token" type="password" autocomplete="off" required />
          </label>
        )}
        {error !== undefined && <p class="error" role="alert">{error}</p>}
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
        <button type="button" class="link-btn" onClick={() => setMode(mode === 'password' ? 'token' : 'password')}>
          {mode === 'password' ? 'Use an API token instead' : 'Use email and password instead'}
        </button>
      </form>
    </main>
  );
}
