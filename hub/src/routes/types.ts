/**
 * The Fastify instance type every route file receives (TypeBox type provider), and the small
 * request helpers routes share.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { AuditActor } from '../audit/log.js';
import type { Principal } from '../auth/principal.js';
import type { HubContext } from '../context.js';
import { unauthorized } from '../errors.js';

export type HubApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** Registers one capability's routes. */
export type RouteModule = (app: HubApp, ctx: HubContext) => void;

/** The signed-in caller (routes other than public ones always have one). */
export function principalOf(req: FastifyRequest): Principal {
  if (req.principal === null) throw unauthorized();
  return req.principal;
}

/** Who did it, for the audit log. */
export function actorOf(req: FastifyRequest): AuditActor {
  return { userId: req.principal?.userId ?? null, tokenId: req.principal?.tokenId ?? null, ip: req.ip };
}
