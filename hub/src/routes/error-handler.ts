/**
 * One error shape for every failure: `{ error: { code, message, details? } }`. Schema
 * validation failures become code 'validation' with one entry per failing field; errors
 * Fastify raises itself (bad JSON, wrong content type, body too large) keep their status;
 * anything unexpected is logged and answered with a bland 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { HubError, codeForStatus, type FieldIssue } from '../errors.js';
import type { HubApp } from './types.js';

interface SchemaIssue {
  keyword?: string;
  instancePath?: string;
  schemaPath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

function fieldName(context: string, pointer: string, child?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  return [context, ...parts].join('.');
}

/** Turns TypeBox (or Ajv) schema errors into one issue per failing field. */
export function fieldIssues(context: string, errors: readonly SchemaIssue[]): FieldIssue[] {
  const out = new Map<string, string>();
  const add = (field: string, message: string) => {
    if (!out.has(field)) out.set(field, message);
  };
  for (const e of errors) {
    const at = e.instancePath ?? '';
    const params = e.params ?? {};
    if (e.keyword === 'required') {
      for (const name of [...strings(params.requiredProperties), ...strings(params.missingProperty)]) add(fieldName(context, at, name), 'is required');
    } else if (e.keyword === 'additionalProperties') {
      for (const name of [...strings(params.additionalProperties), ...strings(params.additionalProperty)]) add(fieldName(context, at, name), 'is not an accepted field');
    } else if (e.keyword === 'boolean' && (e.schemaPath ?? '').endsWith('additionalProperties')) {
      add(fieldName(context, at), 'is not an accepted field');
    } else if (e.keyword === 'enum' && Array.isArray(params.allowedValues)) {
      add(fieldName(context, at), `must be one of ${params.allowedValues.map(String).join(', ')}`);
    } else {
      add(fieldName(context, at), e.message ?? 'is invalid');
    }
  }
  return [...out].map(([field, message]) => ({ field, message }));
}

function send(reply: FastifyReply, status: number, code: string, message: string, details?: unknown) {
  return reply.code(status).type('application/json; charset=utf-8').send({ error: details === undefined ? { code, message } : { code, message, details } });
}

function handleError(err: FastifyError | HubError | Error, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof HubError) {
    if (err.retryAfterS !== undefined) void reply.header('retry-after', String(err.retryAfterS));
    if (err.statusCode >= 500) req.log.error({ err }, 'request failed');
    return send(reply, err.statusCode, err.code, err.message, err.details);
  }
  const fe = err as FastifyError;
  if (Array.isArray(fe.validation)) {
    const context = fe.validationContext ?? 'body';
    const details = fieldIssues(context, fe.validation as SchemaIssue[]);
    const summary = details.map((d) => `${d.field} ${d.message}`).join('; ');
    return send(reply, 400, 'validation', `invalid request: ${summary}`, details);
  }
  if ((err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return send(reply, 409, 'conflict', 'the change conflicts with related records (still referenced, or refers to something missing)');
  }
  if ((err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') return send(reply, 409, 'conflict', 'a record with the same unique value exists');
  const status = typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 600 ? fe.statusCode : 500;
  if (status >= 500) {
    req.log.error({ err }, 'request failed');
    return send(reply, status, 'internal', 'internal error; see the hub log');
  }
  const message = fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError ? 'request body is not valid JSON' : err.message;
  return send(reply, status, codeForStatus(status), message);
}

/**
 * JSON bodies through Fastify's own parser (prototype-poisoning safe), except that an empty
 * body counts as no body, so `POST …/revoke` with a JSON content type and nothing else works.
 */
export function registerBodyParsing(app: HubApp): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    void parseJson(req, text, done); // the default parser is callback-style; it returns nothing
  });
}

export function registerErrorHandlers(app: HubApp): void {
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((req, reply) => send(reply, 404, 'not-found', `no route ${req.method} ${req.url.split('?')[0] ?? ''}`));
}
