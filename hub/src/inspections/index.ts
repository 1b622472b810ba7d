/**
 * Inspections of a hub: one InspectionService (and its scheduler) per HubContext, made on
 * first use, so routes and the composition root share it without widening HubContext.
 */
import type { HubContext } from '../context.js';
import { InspectionScheduler } from './scheduler.js';
import { InspectionService } from './service.js';

const services = new WeakMap<HubContext, InspectionService>();
const schedulers = new WeakMap<HubContext, InspectionScheduler>();

export function inspectionsOf(ctx: HubContext): InspectionService {
  let s = services.get(ctx);
  if (s === undefined) services.set(ctx, (s = new InspectionService(ctx)));
  return s;
}

export function inspectionSchedulerOf(ctx: HubContext): InspectionScheduler {
  let s = schedulers.get(ctx);
  if (s === undefined) schedulers.set(ctx, (s = new InspectionScheduler(ctx, inspectionsOf(ctx))));
  return s;
}

/** Starts inspections with the hub: seeds defaults, then the schedules (unless disabled). */
export async function startInspections(ctx: HubContext): Promise<void> {
  await inspectionsOf(ctx).init();
  if (ctx.config.inspections.schedule) await inspectionSchedulerOf(ctx).start();
}

/** Stops schedules and waits for running inspections (their agents' answers are not awaited). */
export async function stopInspections(ctx: HubContext): Promise<void> {
  const service = services.get(ctx);
  await schedulers.get(ctx)?.stop();
  service?.close();
  await service?.idle();
}

export { InspectionService, InspectionScheduler };
