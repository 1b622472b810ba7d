import { ConfigError } from '@ledwatch/protocols';
import { describe, expect, it } from 'vitest';
import { resolveAgentConfig } from '../../config.js';
import { DriverRegistry } from '../registry.js';
import { netcheckDriverFactory } from './driver.js';
import type { NetcheckOptions } from './options.js';
import { parseStatusSpec, resolveTargets, statusExpected } from './targets.js';

/** The issues the agent's config loader reports for a netcheck device with `options`. */
function configIssues(options: unknown): { key: string; message: string }[] {
  const registry = new DriverRegistry().register(netcheckDriverFactory());
  const config = { agentId: 'site-1', secret: 's', hub: { url: 'mqtt://127.0.0.1:1883' }, devices: [{ id: 'net', kind: 'netcheck', options }] };
  try {
    resolveAgentConfig(config, { registry });
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map(({ key, message }) => ({ key, message }));
    throw err;
  }
  return [];
}

const tcp = { name: 'gateway', type: 'tcp', host: '127.0.0.1', port: 502 };
const web = { name: 'cms', type: 'http', url: 'http://127.0.0.1:8080/health' };
const base = { concurrency: 8 };
const target = { timeoutMs: 3000, rejectUnauthorized: true, warnCertDays: 21 };

describe('netcheck options', () => {
  it('accepts tcp and http targets and fills in the defaults', () => {
    expect(configIssues({ targets: [tcp, web] })).toEqual([]);
  });

  it('names the key a target of each type is missing', () => {
    const keys = configIssues({ targets: [{ name: 'gateway', type: 'tcp', host: '127.0.0.1' }, { name: 'cms', type: 'http' }] }).map((i) => i.key);
    expect(keys).toContain('devices.0.options.targets.0.port');
    expect(keys).toContain('devices.0.options.targets.1.url');
    expect(keys).not.toContain('devices.0.options.targets.0.url');
  });

  it('names a bad port, an unknown method and a malformed expectStatus', () => {
    const keys = configIssues({
      targets: [{ ...tcp, port: 70000 }, { ...web, method: 'POST', expectStatus: '2xx' }],
    }).map((i) => i.key);
    expect(keys).toEqual(
      expect.arrayContaining(['devices.0.options.targets.0.port', 'devices.0.options.targets.1.method', 'devices.0.options.targets.1.expectStatus']),
    );
  });

  it('requires at least one target', () => {
    expect(configIssues({ targets: [] }).map((i) => i.key)).toEqual(['devices.0.options.targets']);
  });
});

describe('netcheck targets', () => {
  const resolve = (targets: object[], readFile?: (p: string) => string): unknown => {
    const options = { ...base, targets: targets.map((t) => ({ ...target, ...t })) } as NetcheckOptions;
    return readFile ? resolveTargets(options, 'test', readFile) : resolveTargets(options, 'test');
  };
  const keysOf = (run: () => unknown): string[] => {
    try {
      run();
    } catch (err) {
      if (err instanceof ConfigError) return err.issues.map((i) => i.key);
      throw err;
    }
    return [];
  };

  it('reports every problem at once, each by its key', () => {
    const keys = keysOf(() =>
      resolve([tcp, { ...tcp, url: 'http://x' }, { ...web, name: 'gateway', port: 80 }, { name: 'bad', type: 'http', url: 'http://' }]),
    );
    expect(keys).toEqual(['targets.1.name', 'targets.1.url', 'targets.2.name', 'targets.2.port', 'targets.3.url']);
  });

  it('names a caFile it cannot read', () => {
    const keys = keysOf(() => resolve([{ ...web, caFile: '/nonexistent/ca.pem' }]));
    expect(keys).toEqual(['targets.0.caFile']);
  });

  it('reads the CA file once, when the driver is created', () => {
    const read: string[] = [];
    const [resolved] = resolve([{ ...web, caFile: '/etc/site-ca.pem' }], (p) => (read.push(p), 'PEM')) as { ca?: string }[];
    expect(read).toEqual(['/etc/site-ca.pem']);
    expect(resolved?.ca).toBe('PEM');
  });

  it('parses a status, a list and ranges, and defaults to 200-399', () => {
    expect(parseStatusSpec(204)).toEqual([[204, 204]]);
    expect(parseStatusSpec([200, 301])).toEqual([[200, 200], [301, 301]]);
    expect(parseStatusSpec(' 200-299, 304 ')).toEqual([[200, 299], [304, 304]]);
    const [resolved] = resolve([web]) as { expectStatus: [number, number][] }[];
    expect([199, 200, 399, 400].map((s) => statusExpected(s, resolved?.expectStatus ?? []))).toEqual([false, true, true, false]);
  });

  it('rejects a range that ends before it starts', () => {
    expect(keysOf(() => resolve([{ ...web, expectStatus: '299-200' }]))).toEqual(['targets.0.expectStatus']);
  });
});
