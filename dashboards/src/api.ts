/**
 * The hub's HTTP API as the UI uses it: the signed-in session (kept in localStorage), JSON
 * calls with the bearer header, typed errors, and file downloads.
 */
import type { User } from './types.js';

export interface Session {
  token: string;
  user: User;
  expiresAt: number | null;
}

const KEY = 'ledwatch.session';
let current: Session | null = load();
const listeners = new Set<() => void>();

function load(): Session | null {
  try {
    const s = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Session | null;
    return s !== null && (s.expiresAt === null || s.expiresAt > Date.now()) ? s : null;
  } catch {
    return null;
  }
}

export const session = {
  get: (): Session | null => current,
  set(s: Session | null): void {
    current = s;
    if (s === null) localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, JSON.stringify(s));
    listeners.forEach((l) => l());
  },
  subscribe(l: () => void): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};

export const canWrite = (): boolean => current !== null && current.user.role !== 'customer';

/** An error the API answered with (its `error.code` and message), or a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function authHeaders(): Record<string, string> {
  return current === null ? {} : { authorization: `Bearer ${current.token}` };
}

export async function request(method: string, path: string, body?: unknown): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: { ...authHeaders(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new ApiError(0, 'network', `the hub did not answer (${(err as Error).message})`);
  }
  if (res.ok) return res;
  let code = 'http';
  let message = `${res.status} ${res.statusText}`;
  try {
    const j = (await res.json()) as { error?: { code?: string; message?: string } };
    code = j.error?.code ?? code;
    message = j.error?.message ?? message;
  } catch {
    /* not JSON */
  }
  if (res.status === 401 && current !== null && path !== '/api/auth/login') session.set(null);
  throw new ApiError(res.status, code, message);
}

export async function api<T>(path: string, opts: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await request(opts.method ?? 'GET', path, opts.body);
  return (res.status === 204 ? null : await res.json()) as T;
}

/** Saves a response body as a file (downloads need the bearer header, so no plain link). */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await request('GET', path);
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
