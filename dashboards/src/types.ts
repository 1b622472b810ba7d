/** The API shapes the UI reads (see the hub's /api/openapi.json). */
export type Role = 'admin' | 'engineer' | 'customer';
export type Severity = 'info' | 'risk' | 'fault' | 'critical';
export type MetricValue = number | boolean | string;

export interface User { id: string; email: string; name: string; role: Role; customerId: string | null }
export interface Site { id: string; customerId: string; name: string; timezone: string; address: string | null }
export interface Agent { id: string; name: string; siteId: string; online: boolean; lastSeen: number | null; version: string | null; hostname: string | null; platform: string | null; revokedAt: number | null }
export interface LatestReading { component: string; at: number; metrics: Record<string, MetricValue>; state: string | null }
export interface Device {
  id: number; agentId: string; deviceId: string; siteId: string; kind: string; name: string | null; model: string | null;
  parent: string | null; state: string | null; present: boolean; capabilities: string[]; lastReadingAt: number | null; latest: LatestReading[];
}
export interface Alarm {
  id: number; agentId: string; deviceId: string; component: string; type: string; severity: Severity; state: 'active' | 'acknowledged' | 'cleared';
  siteId: string; customerId: string; firstSeen: number; lastSeen: number; count: number; lastValue: MetricValue | null; message: string | null;
  ackedAt: number | null; clearedAt: number | null;
}
export type TicketState = 'new' | 'assigned' | 'scheduled' | 'on-site' | 'resolved' | 'confirmed' | 'closed' | 'follow-up';
export interface Ticket {
  id: number; number: string; siteId: string; deviceId: string | null; faultType: string; title: string; severity: Severity; state: TicketState;
  respondedAt: number | null; onSiteAt: number | null; resolvedAt: number | null; respondBy: number | null; onSiteBy: number | null; resolveBy: number | null;
  recurring: boolean; escalated: boolean; createdAt: number;
}
export interface FleetSite {
  siteId: string; name: string; customerId: string; customerName: string; worst: 'fault' | 'offline' | 'warn' | 'ok' | 'none';
  agentsOnline: number; agentsOffline: number; devices: number; devicesFault: number; devicesWarn: number;
  openAlarms: number; alarmsBySeverity: Record<Severity, number>; openTickets: number; slaBreaches: number;
}
/** One reading as /api/live streams it. */
export interface LiveReading { siteId: string; agentId: string; deviceId: string; component: string; at: number; metrics: Record<string, MetricValue>; state: string | null }
export interface AlarmChange { kind: 'raised' | 'updated' | 'acknowledged' | 'cleared'; alarm: Alarm }

/** GET /api/releases: a signed release; `ready` once its artifact is uploaded and matches. */
export interface Release {
  id: string; kind: string; name: string; version: string; sha256: string; size: number; ready: boolean;
  yankedAt: number | null; yankReason: string | null; createdAt: number; createdBy: string | null;
}
export type RolloutState = 'running' | 'paused' | 'completed' | 'aborted' | 'cancelled';
export type RolloutTargetState = 'pending' | 'skipped' | 'waiting-window' | 'sent' | 'succeeded' | 'failed' | 'cancelled';
/** One agent of a rollout: its state in the rollout and the last upgrade stage it reported. */
export interface RolloutTarget {
  agentId: string; wave: number; state: RolloutTargetState;
  /** queued, downloading, verifying, installing, restarting, healthy, failed, rolled-back */
  stage: string | null;
  commandId: string | null; reason: string | null; errorCode: string | null; fromVersion: string | null;
}
export interface RolloutWave { index: number; name: string | null; total: number; succeeded: number; failed: number; inProgress: number; pending: number }
/** GET /api/rollouts and /api/rollouts/{id}. */
export interface Rollout {
  id: string; releaseId: string; state: RolloutState; currentWave: number; reason: string | null; createdAt: number; updatedAt: number;
  waves: RolloutWave[]; skipped: { agentId: string; reason: string }[]; targets: RolloutTarget[];
}

/** GET /api/inspections: the fields the UI reads (results and facts are in the response too). */
export interface Inspection {
  id: string; siteId: string; customerId: string; agentId: string | null; trigger: string; state: 'collecting' | 'checking' | 'done' | 'failed';
  periodStart: number; periodEnd: number; agentOnline: boolean; summary: { pass: number; warn: number; fail: number; verdict: 'pass' | 'warn' | 'fail' } | null;
  error: string | null; createdAt: number; finishedAt: number | null; reportId: string | null;
}
/** GET /api/reports. */
export interface Report {
  id: string; inspectionId: string; siteId: string; customerId: string; language: string; title: string; createdAt: number; pdfBytes: number;
  pdfMs: number | null; mailedAt: number | null; mailedTo: string[]; mailError: string | null; sends: number;
}
