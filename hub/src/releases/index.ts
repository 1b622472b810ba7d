/**
 * Signed software upgrades on the hub: release keys (public parts only), the release
 * store with its artifacts, and the rollouts engine. One set per hub context, shared by
 * the keys, releases and rollouts routes.
 */
import type { HubContext } from '../context.js';
import { AgentAuthenticator } from './agent-auth.js';
import { ReleaseKeyService } from './keys.js';
import { RolloutEngine } from './rollouts.js';
import { ReleaseStore } from './store.js';

export interface ReleaseServices {
  keys: ReleaseKeyService;
  store: ReleaseStore;
  rollouts: RolloutEngine;
  agentAuth: AgentAuthenticator;
  /** Set once the HTTP server listens, unless http.publicUrl says where agents reach the hub. */
  setListenUrl(url: string): void;
}

const perContext = new WeakMap<HubContext, ReleaseServices>();

export function releaseServices(ctx: HubContext): ReleaseServices {
  let s = perContext.get(ctx);
  if (s === undefined) {
    let listenUrl = 'http://127.0.0.1:8080';
    const keys = new ReleaseKeyService(ctx);
    const store = new ReleaseStore(ctx, keys);
    const rollouts = new RolloutEngine(ctx, store, keys, () => (ctx.config.http.publicUrl ?? listenUrl).replace(/\/+$/, ''));
    s = { keys, store, rollouts, agentAuth: new AgentAuthenticator(ctx), setListenUrl: (url) => (listenUrl = url) };
    perContext.set(ctx, s);
  }
  return s;
}
