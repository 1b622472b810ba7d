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
