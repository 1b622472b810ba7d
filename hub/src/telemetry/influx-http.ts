/**
 * The v1-compatible HTTP API of InfluxDB (1.x; 2.x and 3.x Core serve it too): `/write`
 * with line protocol and `precision=ms`, `/query` with InfluxQL, `/ping`. Connections are
 * kept alive. Auth: HTTP Basic for 1.x users, `Token` for 2.x/3.x tokens.
 *
 * Writes go through node:http rather than fetch: a body of 5,000 lines went through
 * fetch's web streams (encoded, then copied), ~5 % of the hub's CPU in a fleet
 * (bench/ingest); node:http hands the string to the socket as it is.
 */
import http from 'node:http';
import https from 'node:https';
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
  /** node:http or node:https, as the URL says, and its kept-alive connections (for writes). */
  private readonly client: typeof http | typeof https;
  private readonly agent: http.Agent;
  private readonly writePath: string;

  constructor(private readonly opts: InfluxHttpOptions) {
    this.base = opts.url.replace(/\/+$/, '');
    this.client = this.base.startsWith('https:') ? https : http;
    this.agent = new this.client.Agent({ keepAlive: true });
    const params = new URLSearchParams({ db: opts.database, precision: 'ms' });
    if (opts.retentionPolicy !== undefined) params.set('rp', opts.retentionPolicy);
    this.writePath = `${this.base}/write?${params.toString()}`;
    if (opts.token !== undefined) this.headers.authorization = `Token ${opts.token}`;
    else if (opts.username !== undefined) {
      this.headers.authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password ?? ''}`).toString('base64')}`;
    }
  }

  /** Closes the kept-alive write connections. */
  close(): void {
    this.agent.destroy();
  }

  async ping(): Promise<{ version: string }> {
    const res = await this.request(`${this.base}/ping`, { method: 'GET' });
    return { version: res.headers.get('x-influxdb-version') ?? 'unknown' };
  }

  async write(lines: readonly string[], signal?: AbortSignal): Promise<void> {
    const text = lines.join('\n');
    const headers: Record<string, string> = { ...this.headers, 'content-type': 'text/plain; charset=utf-8' };
    let body: string | Buffer = text;
    if (this.opts.gzip) {
      body = await gzip(text, { level: constants.Z_BEST_SPEED });
      headers['content-encoding'] = 'gzip';
    }
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    headers['content-length'] = String(length);
    // As many UTF-8 bytes as characters: all ASCII, whose latin1 bytes are the same and are
    // copied as they are, where UTF-8 encoding a ~1 MB body cost ~4 ms (bench/ingest).
    const encoding = typeof body === 'string' && length === body.length ? 'latin1' : 'utf8';
    await this.postWrite(headers, body, encoding, signal);
  }

  /** POST /write: its answer has no body worth reading on success. */
  private postWrite(headers: Record<string, string>, body: string | Buffer, encoding: BufferEncoding, signal?: AbortSignal): Promise<void> {
    const both = this.deadline(signal);
    return new Promise<void>((resolve, reject) => {
      const unreachable = (err: Error): void => {
        reject(this.unreachable(both.aborted ? errorText(both.reason) : ((err as { code?: string }).code ?? err.message)));
      };
      const req = this.client.request(this.writePath, { method: 'POST', headers, agent: this.agent, signal: both }, (res) => {
        const status = res.statusCode ?? 0;
        res.on('error', unreachable);
        if (status >= 200 && status < 300) {
          res.on('end', resolve);
          res.resume();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          reject(httpError(status, Buffer.concat(chunks).toString('utf8'), retryAfter === undefined ? null : String(retryAfter)));
        });
      });
      req.on('error', unreachable);
      if (typeof body === 'string') req.end(body, encoding);
      else req.end(body);
    });
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
    let res: Response;
    try {
      res = await fetch(url, {
        ...init,
        headers: { ...this.headers, ...(init.headers as Record<string, string> | undefined) },
        signal: this.deadline(signal),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw this.unreachable(cause?.code ?? cause?.message ?? (err as Error).message);
    }
    if (res.ok) return res;
    throw httpError(res.status, await res.text().catch(() => ''), res.headers.get('retry-after'));
  }

  /** The caller's signal, if any, bounded by the request timeout. */
  private deadline(signal?: AbortSignal): AbortSignal {
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    return signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
  }

  /** No answer at all (status 0): `why` is the socket error's code or the abort reason. */
  private unreachable(why: string): InfluxHttpError {
    return new InfluxHttpError(0, `InfluxDB at ${this.base} unreachable: ${why}`);
  }
}

/** InfluxDB's answer other than success: its `error` text when it is JSON, and Retry-After. */
function httpError(status: number, text: string, retryAfterHeader: string | null): InfluxHttpError {
  let message = text;
  try {
    message = (JSON.parse(text) as { error?: string }).error ?? text;
  } catch {
    // not JSON: keep the text
  }
  const retryAfter = Number(retryAfterHeader);
  return new InfluxHttpError(status, `InfluxDB answered ${status}: ${message.trim()}`, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined);
}

function errorText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

/** `"ident"` for InfluxQL. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `'literal'` for InfluxQL. */
export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
