import { topics } from '@ledwatch/protocols';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentConfigService } from '../agent-config/service.js';
import { type TestContext, createTestContext, seedAgent, seedFixture } from '../test-utils/context.js';
import { FakeLink } from '../test-utils/fake-link.js';

describe('commands to agents', () => {
  let ctx: TestContext;
  let link: FakeLink;
  let agentId: string;

  beforeEach(async () => {
    ctx = await createTestContext();
    const fx = await seedFixture(ctx);
    agentId = (await seedAgent(ctx, fx.customers[0].siteId, { online: false })).id;
    link = new FakeLink();
    ctx.commands.attach(link);
  });
  afterEach(async () => {
    await ctx.cleanup();
  });

  const cmdsSent = () => link.published.filter((p) => p.topic.startsWith(`ledwatch/v1/${agentId}/cmd/`));

  it('queues a command for an offline agent and sends it when the agent comes online', async () => {
    const cmd = await ctx.commands.send(agentId, 'ping', undefined);
    expect(cmd.state).toBe('queued');
    expect(cmdsSent()).toEqual([]);
    ctx.state.sqlite.prepare('update agents set online = 1 where id = ?').run(agentId);
    ctx.bus.emit('agent-online', agentId);
    await expect.poll(() => cmdsSent().length).toBe(1);
    expect(cmdsSent()[0]).toEqual({ topic: topics.cmd(agentId, cmd.id), payload: { id: cmd.id, type: 'ping', issuedAt: cmd.issuedAt } });
    await expect.poll(async () => (await ctx.commands.get(cmd.id))?.state).toBe('sent');
  });

  it('resends an unanswered command at the next birth, and stops once it is answered', async () => {
    ctx.state.sqlite.prepare('update agents set online = 1 where id = ?').run(agentId);
    const cmd = await ctx.commands.send(agentId, 'rebirth', undefined);
    expect(cmdsSent()).toHaveLength(1);
    expect(await ctx.commands.resendPending(agentId)).toBe(1);
    await ctx.commands.handleResult(agentId, { id: cmd.id, type: 'rebirth', state: 'succeeded', at: Date.now() });
    expect((await ctx.commands.get(cmd.id))?.state).toBe('succeeded');
    expect(await ctx.commands.resendPending(agentId)).toBe(0);
  });

  it('expires a queued command whose time ran out instead of sending it', async () => {
    const cmd = await ctx.commands.send(agentId, 'ping', undefined, { expiresInMs: -1 });
    expect(await ctx.commands.resendPending(agentId)).toBe(0);
    expect((await ctx.commands.get(cmd.id))?.state).toBe('expired');
  });

  it('ignores a result for another agent’s command', async () => {
    const cmd = await ctx.commands.send(agentId, 'ping', undefined);
    await ctx.commands.handleResult('someone-else', { id: cmd.id, type: 'ping', state: 'succeeded', at: Date.now() });
    expect((await ctx.commands.get(cmd.id))?.state).toBe('queued');
  });

  it('marks config versions applied or rejected from results, and supersedes unanswered ones', async () => {
    const configs = new AgentConfigService(ctx);
    const v1 = await configs.push(agentId, { devices: [{ id: 'host', kind: 'host' }] }, null);
    const v2 = await configs.push(agentId, { devices: [] }, null);
    expect(v2.version).toBe(2);
    expect((await configs.get(agentId, 1))?.status).toBe('superseded');
    expect((await ctx.commands.get(v1.commandId as string))?.state).toBe('expired');
    await ctx.commands.handleResult(agentId, { id: v2.commandId as string, type: 'config', state: 'succeeded', at: Date.now(), result: { version: 2 } });
    expect((await configs.get(agentId, 2))?.status).toBe('applied');
    expect(ctx.state.sqlite.prepare('select config_version from agents where id = ?').get(agentId)).toEqual({ config_version: 2 });
    const v3 = await configs.push(agentId, { devices: [{ id: 'x', kind: 'nope' }] }, null);
    await ctx.commands.handleResult(agentId, {
      id: v3.commandId as string,
      type: 'config',
      state: 'rejected',
      at: Date.now(),
      error: { code: 'config-invalid', message: 'bad' },
      result: { issues: ['devices.0.kind: unknown'] },
    });
    expect(await configs.get(agentId, 3)).toMatchObject({ status: 'rejected', errors: ['devices.0.kind: unknown'] });
  });
});
