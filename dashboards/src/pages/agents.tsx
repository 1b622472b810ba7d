/**
 * Agents: who is online, and provisioning a new one — the secret is shown once, inside a
 * copy-paste install command that writes agent.yaml and starts the agent.
 */
import { useState } from 'preact/hooks';
import { api, canWrite } from '../api.js';
import { href } from '../router.js';
import { installCommand, type Provisioned } from '../model.js';
import type { Agent, Site } from '../types.js';
import { Badge, ListTable, Page, ago, useLoad, useTick } from '../ui.js';

export function AgentsPage() {
  const agents = useLoad(() => api<{ items: Agent[] }>('/api/agents'), []);
  const sites = useLoad(() => api<{ items: Site[] }>('/api/sites'), []);
  const [made, setMade] = useState<Provisioned>();
  const [error, setError] = useState<string>();
  const [copied, setCopied] = useState(false);
  const now = useTick(15_000);

  const provision = async (e: Event): Promise<void> => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setError(undefined);
    setCopied(false);
    try {
      setMade(await api<Provisioned>('/api/agents', { method: 'POST', body: { name: form.get('name'), siteId: form.get('siteId') } }));
      agents.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const command = made === undefined ? '' : installCommand(made, location.hostname);
  const copy = (): void => {
    navigator.clipboard.writeText(command).then(() => setCopied(true), () => setCopied(false));
  };
  const siteName = (id: string): string => sites.data?.items.find((s) => s.id === id)?.name ?? id;
  const list = (agents.data?.items ?? []).filter((a) => a.revokedAt === null);

  return (
    <Page title="Agents">
      {canWrite() && (
        <section aria-labelledby="h-provision" class="card">
          <h2 id="h-provision">Provision an agent</h2>
          <form class="filters" onSubmit={(e) => void provision(e)}>
            <label>
              Name <input name="name" required maxLength={200} placeholder="e.g. mall-atrium-pc" />
            </label>
            <label>
              Site
              <select name="siteId" required>
                {(sites.data?.items ?? []).map((s) => (
                  <option key={s.id} value={s.id}>{s.name}</option>
                ))}
              </select>
            </label>
            <button type="submit">Provision</button>
          </form>
          {error !== undefined && <p class="error" role="alert">{error}</p>}
          {made !== undefined && (
            <div class="stack">
              <p>Run this on the site PC. The secret is shown only now.</p>
              <pre class="command" tabIndex={0} aria-label="Install command"><code>{command}</code></pre>
              <div class="row">
                <button type="button" onClick={copy}>Copy command</button>
                <span aria-live="polite" class="muted">{copied ? 'Copied.' : ''}</span>
              </div>
            </div>
          )}
        </section>
      )}
      <ListTable
        label="Agents"
        loaded={agents}
        rows={agents.data === undefined ? undefined : list}
        empty="No agents yet."
        columns={['Agent', 'Site', 'State', 'Version', 'Host', 'Last seen']}
        row={(a) => (
          <tr key={a.id} data-agent={a.id}>
            <th scope="row">{a.name}</th>
            <td><a href={href('sites', a.siteId)}>{siteName(a.siteId)}</a></td>
            <td><Badge state={a.online ? 'ok' : 'offline'} label={a.online ? 'online' : 'offline'} /></td>
            <td>{a.version ?? '—'}</td>
            <td>{a.hostname ?? '—'}{a.platform ? ` (${a.platform})` : ''}</td>
            <td>{ago(a.lastSeen, now)}</td>
          </tr>
        )}
      />
    </Page>
  );
}
