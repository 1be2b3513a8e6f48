/**
 * What a goal's indicator may be and how it is scored: the definitions goals store (./schema.ts),
 * imports and edits are checked against (./service.ts, ./routes.ts) and the API sends
 * (./schemas.ts). Only definitions live here, so the tables need not import the computations
 * (./indicators.ts).
 */
import { z } from 'zod';
import { eventKinds } from '../events/schema.ts';
import { organisationTypes } from '../organisations/schema.ts';

/** How a value becomes fulfilment in percent. */
export const scaleSchema = z.discriminatedUnion('type', [
  /** value ≥ min → percent; the highest met wins (e.g. NPS ≥ 60 → 100, ≥ 50 → 50). */
  z.strictObject({ type: z.literal('thresholds'), thresholds: z.array(z.strictObject({ min: z.number(), percent: z.number().min(0).max(100) })).min(1) }),
  /** value / target, capped at 100 %; with split targets, each part counts up to its own target. */
  z.strictObject({ type: z.literal('proportional') }),
  /** Set by hand with a justification (deliverables with evidence). */
  z.strictObject({ type: z.literal('manual') }),
]);

/** Split targets: each part by delivery categories (e.g. vækst+drift) or by municipalities (a target per municipality). */
const split = z
  .array(
    z.union([
      z.strictObject({ label: z.string().min(1), categories: z.array(z.string().min(1)).min(1), target: z.number().int().positive() }),
      z.strictObject({ label: z.string().min(1), municipalities: z.array(z.number().int().min(100).max(999)).min(1), target: z.number().int().positive() }),
    ]),
  )
  .min(1);

/** The indicator of a goal: computed from live data, or manual. */
export const indicatorSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('nps'), scale: scaleSchema }),
  z.strictObject({ type: z.literal('effect_share'), scale: scaleSchema }),
  z.strictObject({ type: z.literal('guided_companies'), target: z.number().int().positive().optional(), split: split.optional(), scale: scaleSchema }),
  z.strictObject({ type: z.literal('engagements'), level: z.enum(['basic', 'specialised']).optional(), theme: z.string().optional(), target: z.number().int().positive().optional(), scale: scaleSchema }),
  z.strictObject({ type: z.literal('referrals'), direction: z.enum(['sent', 'received']), receiverType: z.enum(organisationTypes).optional(), target: z.number().int().positive().optional(), scale: scaleSchema }),
  z.strictObject({ type: z.literal('intent_declarations'), scale: scaleSchema }),
  /**
   * Events the hub held (organised or co-organised, ended, not cancelled), optionally of some kinds
   * only (ErhvervsfremmeAkademier: `academy`); or, with `measure: 'participants'`, the participants
   * who attended them. `deliverables` are the goal's other parts, ticked off by hand: with a
   * proportional scale each counts as much as one event of the target.
   */
  z.strictObject({
    type: z.literal('events_held'),
    kinds: z.array(z.enum(eventKinds)).min(1).optional(),
    measure: z.enum(['events', 'participants']).default('events'),
    target: z.number().int().positive().optional(),
    deliverables: z.array(z.strictObject({ title: z.string().min(1), done: z.boolean().default(false) })).optional(),
    scale: scaleSchema,
  }),
  z.strictObject({
    type: z.literal('manual'),
    deliverables: z.array(z.strictObject({ title: z.string().min(1), done: z.boolean().default(false) })).min(1),
    fulfilment: z.number().min(0).max(100).nullable().default(null),
    justification: z.string().nullable().default(null),
    scale: z.strictObject({ type: z.literal('manual') }),
  }),
]);
export type Scale = z.infer<typeof scaleSchema>;
export type IndicatorDefinition = z.infer<typeof indicatorSchema>;
export const indicatorTypes = indicatorSchema.options.map((o) => o.shape.type.value);
