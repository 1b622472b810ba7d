import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createTestContext, type TestContext } from '../test-utils/context.js';
import { REDACTED, redactDetails, writeAudit } from './log.js';
import { listAudit } from './query.js';

describe('audit log', () => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await createTestContext();
  });
  afterEach(async () => {
    await ctx.cleanup();
  });

  test('redaction replaces every secret-named value, at any depth', () => {
    const out = redactDetails({ name: 'wall', secret: 's1', nested: { password: 'p', newPassword: 'p2', list: [{ token: 't', tokenId: 'id-1' }] }, secretHash: 'h' });
    expect(out).toEqual({ name: 'wall', secret: REDACTED, nested: { password: REDACTED, newPassword: REDACTED, list: [{ token: REDACTED, tokenId: 'id-1' }] }, secretHash: REDACTED });
  });

  test('entries come back newest first, filtered and paged with a cursor', async () => {
    const actor = { userId: 'u1', tokenId: 't1', ip: '127.0.0.1' };
    for (let i = 0; i < 5; i++) {
      await writeAudit(ctx.state.db, { at: 1000 + i, actor, action: 'site.update', entity: 'site', entityId: `s${i}` });
    }
    await writeAudit(ctx.state.db, { at: 2000, actor: { ...actor, userId: 'u2' }, action: 'agent.provision', entity: 'agent', entityId: 'a1', details: { secret: 'x' } });

    const page1 = await listAudit(ctx.state.db, { entity: 'site', limit: 2 });
    expect(page1.items.map((e) => e.entityId)).toEqual(['s4', 's3']);
    expect(page1.next).not.toBeNull();
    const page2 = await listAudit(ctx.state.db, { entity: 'site', limit: 2, before: page1.next ?? undefined });
    expect(page2.items.map((e) => e.entityId)).toEqual(['s2', 's1']);

    const byActor = await listAudit(ctx.state.db, { actor: 'u2', limit: 10 });
    expect(byActor).toEqual({ items: [expect.objectContaining({ action: 'agent.provision', details: { secret: REDACTED } })], next: null });
    const since = await listAudit(ctx.state.db, { since: 1003, limit: 10 });
    expect(since.items.map((e) => e.at)).toEqual([2000, 1004, 1003]);
  });
});
