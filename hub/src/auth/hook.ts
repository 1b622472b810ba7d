/**
 * Authentication and role checks for every request, before the body is parsed:
 *  - routes declare `config.access` (see principal.ts); a route under /api or /metrics that
 *    forgets to is refused at start-up, so nothing is public by accident;
 *  - /api/docs* (swagger-ui) and everything outside /api and /metrics (the dashboards) are
 *    public; unknown /api paths need a token like known ones;
 *  - the token is `Authorization: Bearer <token>`; missing/invalid → 401, wrong role → 403.
 */
import type { FastifyRequest } from 'fastify';
import type { HubContext } from '../context.js';
import { forbidden, unauthorized } from '../errors.js';
import type { HubApp } from '../routes/types.js';
import { roleAllows, type Access, type Principal } from './principal.js';
import { authenticateToken } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in caller; null on public routes. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

const pathOf = (url: string): string => url.split('?')[0] ?? url;

const isDocs = (path: string): boolean => path === '/api/docs' || path.startsWith('/api/docs/');

/** Paths whose routes must declare an access level. */
const isProtectedPath = (path: string): boolean => !isDocs(path) && (path === '/api' || path.startsWith('/api/') || path === '/metrics');

function accessFor(req: FastifyRequest): Access {
  const declared = req.routeOptions.config.access;
  if (declared !== undefined) return declared;
  return isProtectedPath(pathOf(req.url)) ? 'self' : 'public';
}

export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m?.[1] ?? null;
}

export function registerAuth(app: HubApp, ctx: HubContext): void {
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    if (isProtectedPath(route.url) && route.config?.access === undefined) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no config.access; add one (see auth/principal.ts)`);
    }
  });

  app.addHook('onRequest', async (req) => {
    const access = accessFor(req);
    if (access === 'public') return;
    const token = bearerToken(req.headers.authorization);
    if (token === null) throw unauthorized('missing bearer token: send "Authorization: Bearer <token>"');
    const principal = await authenticateToken(ctx.state.db, token, ctx.now());
    if (principal === null) throw unauthorized('invalid, expired or revoked token');
    req.principal = principal;
    if (!roleAllows(principal.role, access)) throw forbidden(`the ${principal.role} role may not ${req.method} ${pathOf(req.url)}`);
  });
}
