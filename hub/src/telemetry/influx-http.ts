/**
 * The v1-compatible HTTP API of InfluxDB (1.x; 2.x and 3.x Core serve it too): `/write`
 * with line protocol and `precision=ms`, `/query` with InfluxQL, `/ping`. Node's fetch
 * keeps connections alive. Auth: HTTP Basic for 1.x users, `Token` for 2.x/3.x tokens.
 */
import { promisify } from 'node:util';
import { constants, gzip as gzipCb } from 'node:zlib';

const gzip = promisify(gzipCb);

export interface InfluxHttpOptions {
  url: string;
  database: string;
  retentionPolicy?: string;
  username?: string;
  password?: string;
  token?: string;
  gzip: boolean;
  timeoutMs: number;
}

/** An HTTP answer other than success, or no answer at all (status 0). */
export class InfluxHttpError extends Error {
  override readonly name = 'InfluxHttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  /** The server refused the data itself; sending it again cannot help. */
  get isRejection(): boolean {
    return this.status === 400 || this.status === 413 || this.status === 422;
  }

  get isDatabaseMissing(): boolean {
    return this.status === 404 && /database not found/i.test(this.message);
  }
}

export interface InfluxSeries {
  name?: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

interface QueryResponse {
  results?: { statement_id?: number; series?: InfluxSeries[]; error?: string }[];
  error?: string;
}

export class InfluxHttp {
  private readonly base: string;
  private readonly headers: Record<string, string> = {};

  constructor(private readonly opts: InfluxHttpOptions) {
    this.base = opts.url.replace(/\/+$/, '');
    if (opts.token !== undefined) this.headers.authorization = `Token ${opts.token}`;
    else if (opts.username !== undefined) {
      this.headers.authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password ?? ''}`).toString('base64')}`;
    }
  }

  async ping(): Promise<{ version: string }> {
    const res = await this.request(`${this.base}/ping`, { method: 'GET' });
    return { version: res.headers.get('x-influxdb-version') ?? 'unknown' };
  }

  async write(lines: readonly string[], signal?: AbortSignal): Promise<void> {
    const params = new URLSearchParams({ db: this.opts.database, precision: 'ms' });
    if (this.opts.retentionPolicy !== undefined) params.set('rp', this.opts.retentionPolicy);
    const text = lines.join('\n');
    const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
    let body: string | Buffer = text;
    if (this.opts.gzip) {
      body = await gzip(text, { level: constants.Z_BEST_SPEED });
      headers['content-encoding'] = 'gzip';
    }
    await this.request(`${this.base}/write?${params.toString()}`, { method: 'POST', headers, body }, signal);
  }

  /**
   * Runs InfluxQL statements (`;`-separated) and returns each statement's series. A
   * statement error throws. `mutate` sends a POST (CREATE, ALTER), else a GET.
   */
  async query(q: string, opts: { mutate?: boolean; database?: boolean } = {}): Promise<InfluxSeries[][]> {
    const params = new URLSearchParams({ q, epoch: 'ms' });
    if (opts.database !== false) params.set('db', this.opts.database);
    const res = opts.mutate
      ? await this.request(`${this.base}/query`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: params.toString(),
        })
      : await this.request(`${this.base}/query?${params.toString()}`, { method: 'GET' });
    const json = (await res.json()) as QueryResponse;
    if (json.error !== undefined) throw new InfluxHttpError(400, json.error);
    return (json.results ?? []).map((r) => {
      if (r.error !== undefined) throw new InfluxHttpError(r.error.startsWith('database not found') ? 404 : 400, r.error);
      return (r.series ?? []).map((series) => ({ ...series, columns: series.columns ?? [], values: series.values ?? [] }));
    });
  }

  private async request(url: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    let res: Response;
    try {
      res = await fetch(url, {
        ...init,
        headers: { ...this.headers, ...(init.headers as Record<string, string> | undefined) },
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new InfluxHttpError(0, `InfluxDB at ${this.base} unreachable: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
    }
    if (res.ok) return res;
    const text = await res.text().catch(() => '');
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {
      // not JSON: keep the text
    }
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new InfluxHttpError(res.status, `InfluxDB answered ${res.status}: ${message.trim()}`, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined);
  }
}

/** `"ident"` for InfluxQL. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `'literal'` for InfluxQL. */
export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
