/**
 * The fixture agent tests share: a real in-process broker, a watcher client, a temp data
 * folder, and agents created against them — set up before and torn down after each test.
 *
 *   const h = useAgentHarness();
 *   it('…', async () => { const a = h.agent(); await a.start(); … h.watcher.waitFor(…) });
 */
import { afterEach, beforeEach } from 'vitest';
import { Agent, type AgentOptions } from '../agent.js';
import { startBroker, Watcher, type TestBroker } from './broker.js';
import { fakeRegistry, tempDir, testConfig } from './fixtures.js';

export interface AgentHarness {
  readonly broker: TestBroker;
  readonly watcher: Watcher;
  readonly dir: string;
  /** A new agent on the harness broker and folder, stopped after the test. */
  agent(opts?: Partial<AgentOptions>): Agent;
  /** Forget an agent the test stopped itself. */
  forget(a: Agent): void;
}

export function useAgentHarness(): AgentHarness {
  let broker: TestBroker | undefined;
  let watcher: Watcher | undefined;
  let dir: Awaited<ReturnType<typeof tempDir>> | undefined;
  const agents: Agent[] = [];
  beforeEach(async () => {
    broker = await startBroker();
    watcher = await Watcher.start(broker.url);
    dir = await tempDir();
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await watcher?.close();
    await broker?.close();
    await dir?.remove();
  });
  const need = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('the agent harness is used outside a test');
    return v;
  };
  return {
    get broker() {
      return need(broker);
    },
    get watcher() {
      return need(watcher);
    },
    get dir() {
      return need(dir).path;
    },
    agent(opts = {}) {
      const a = new Agent({ config: testConfig(need(broker).url, need(dir).path), registry: fakeRegistry(), batchMs: 20, ...opts });
      agents.push(a);
      return a;
    },
    forget(a) {
      const i = agents.indexOf(a);
      if (i >= 0) agents.splice(i, 1);
    },
  };
}
