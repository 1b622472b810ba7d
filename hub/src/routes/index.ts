/** Every HTTP route of the hub, one module per capability. */
import type { HubContext } from '../context.js';
import { agentConfigRoutes } from './agent-config.js';
import { agentRoutes } from './agents.js';
import { alarmRoutes } from './alarms.js';
import { auditRoutes } from './audit.js';
import { authRoutes } from './auth.js';
import { contactRoutes } from './contacts.js';
import { customerRoutes } from './customers.js';
import { deviceRoutes } from './devices.js';
import { fleetRoutes } from './fleet.js';
import { healthRoutes } from './health.js';
import { liveRoutes } from './live.js';
import { metricsRoutes } from './metrics.js';
import { notifyRoutes } from './notify.js';
import { recurringRoutes } from './recurring.js';
import { inspectionRoutes } from './inspections.js';
import { reportRoutes } from './reports.js';
import { keyRoutes } from './keys.js';
import { releaseRoutes } from './releases.js';
import { rolloutRoutes } from './rollouts.js';
import { siteRoutes } from './sites.js';
import { slaRoutes } from './sla.js';
import { telemetryRoutes } from './telemetry.js';
import { ticketRoutes } from './tickets.js';
import { tokenRoutes } from './tokens.js';
import type { HubApp, RouteModule } from './types.js';
import { userRoutes } from './users.js';

export const ROUTE_MODULES: readonly RouteModule[] = [
  healthRoutes,
  authRoutes,
  userRoutes,
  tokenRoutes,
  customerRoutes,
  siteRoutes,
  contactRoutes,
  agentRoutes,
  agentConfigRoutes,
  deviceRoutes,
  telemetryRoutes,
  alarmRoutes,
  ticketRoutes,
  slaRoutes,
  recurringRoutes,
  auditRoutes,
  notifyRoutes,
  metricsRoutes,
  fleetRoutes,
  liveRoutes,
  inspectionRoutes,
  reportRoutes,
  keyRoutes,
  releaseRoutes,
  rolloutRoutes,
];

export function registerRoutes(app: HubApp, ctx: HubContext): void {
  for (const mod of ROUTE_MODULES) mod(app, ctx);
}
