/**
 * The contracts API's request and response shapes: the routes validate and serialise with them, and
 * the web takes its types from them (type imports only), so a change here breaks the web's type check.
 */
import { z } from 'zod';
import { isoDate } from '../engagements/schemas.ts';
import { indicatorSchema, indicatorTypes } from './indicator-types.ts';
import { contractStatuses, goalGroups, reportingPeriods, statusReportStatuses } from './schema.ts';

const refSchema = z.object({ id: z.string(), name: z.string() });

/** What the caller may do with a contract (policies/index.ts `abilities.contract`). */
export const contractAbilitiesSchema = z.object({
  /** Edit it: manual goals and their evidence, intent declarations, title and status. */
  manage: z.boolean(),
  /** Start, comment and publish status reports. */
  report: z.boolean(),
  /** See draft status reports. */
  readDraft: z.boolean(),
});

/** What the caller may do with a status report (policies/index.ts `abilities.statusReport`); only drafts change. */
export const statusReportAbilitiesSchema = z.object({
  /** Comment it and recompute its figures. */
  change: z.boolean(),
  publish: z.boolean(),
});

// The import format (e.g. the shipped 2020 template); each goal's indicator is checked on its own
// (service.ts `validateGoals`), so the problem names the goal.
const goalInput = z.strictObject({
  number: z.number().int().min(1).max(99),
  group: z.enum(goalGroups),
  title: z.string().trim().min(1).max(300),
  description: z.string().max(10_000).default(''),
  method: z.string().max(10_000).default(''),
  reporting: z.enum(reportingPeriods).default('annual'),
  indicator: z.unknown(),
});
export const contractInput = z.strictObject({
  title: z.string().trim().min(1).max(300),
  kkr: z.string().min(1),
  hub: z.string().min(1),
  // A date that exists: 2026-13-45 would otherwise reach PostgreSQL (SQLSTATE 22008).
  periodStart: isoDate,
  periodEnd: isoDate,
  goals: z.array(goalInput).min(1).max(50),
});

/** A contract in the import format, as the server sends it (the shipped template, an export). */
const fileGoalSchema = z.object({
  number: z.number().int(),
  group: z.enum(goalGroups),
  title: z.string(),
  description: z.string(),
  method: z.string(),
  reporting: z.enum(reportingPeriods),
  /** As in the file: a template leaves out what has defaults (e.g. a deliverable's `done`). */
  indicator: z.unknown(),
});
export const contractTemplateSchema = z.object({
  title: z.string(),
  kkr: z.string(),
  hub: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  goals: z.array(fileGoalSchema),
});
export const contractExportSchema = contractTemplateSchema.extend({ goals: z.array(fileGoalSchema.extend({ indicator: indicatorSchema })) });

export const contractImportBody = contractInput.extend({
  override: z.strictObject({ periodStart: isoDate.optional(), periodEnd: isoDate.optional(), title: z.string().min(1).max(300).optional() }).optional(),
});

export const contractChangeBody = z.strictObject({ title: z.string().trim().min(1).max(300).optional(), status: z.enum(contractStatuses).optional() });

export const createdSchema = z.object({ id: z.string() });

export const contractSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  hub: refSchema,
  kkr: refSchema,
  periodStart: z.string(),
  periodEnd: z.string(),
  status: z.enum(contractStatuses),
  /** How many goals it has. */
  goals: z.number().int(),
  abilities: contractAbilitiesSchema,
});

export const goalSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  group: z.enum(goalGroups),
  title: z.string(),
  description: z.string(),
  method: z.string(),
  reporting: z.enum(reportingPeriods),
  indicator: indicatorSchema,
});

export const contractSchema = z.object({
  id: z.string(),
  title: z.string(),
  hubId: z.string(),
  kkrId: z.string(),
  hub: refSchema,
  kkr: refSchema,
  periodStart: z.string(),
  periodEnd: z.string(),
  status: z.enum(contractStatuses),
  createdAt: z.string(),
  goals: z.array(goalSchema),
  abilities: contractAbilitiesSchema,
});

/** Why a figure is withheld from a reader under disclosure control: fewer than 5 companies, or it would give such a figure away. */
const withheldSchema = z.enum(['fewer_than_5', 'suppressed']).nullable();

const breakdownPartSchema = z.object({
  label: z.string(),
  /** Null when withheld. */
  value: z.number().nullable(),
  target: z.number().nullable(),
  /** How many companies the part rests on; null when it does not count companies (absent in reports from before it was recorded). */
  basis: z.number().nullable().optional(),
  withheld: withheldSchema.optional(),
});

/** A goal's figures as the caller may see them (./disclosure.ts). */
export const goalFiguresSchema = z.object({
  number: z.number().int(),
  group: z.enum(goalGroups),
  title: z.string(),
  reporting: z.enum(reportingPeriods),
  indicatorType: z.enum(indicatorTypes),
  value: z.number().nullable(),
  target: z.number().nullable(),
  /** Percent, 0–100. */
  fulfilment: z.number().nullable(),
  unit: z.string(),
  /** How many companies the value rests on; null when it does not count companies (absent in reports from before it was recorded). */
  basis: z.number().nullable().optional(),
  fulfilmentFromParts: z.boolean().optional(),
  breakdown: z.array(breakdownPartSchema),
  /** The change since the previous published report. */
  trend: z.number().nullable(),
  suppressed: z.boolean(),
  withheld: withheldSchema,
});

export const reportFormats = ['json', 'xlsx', 'docx', 'pdf'] as const;
export const reportQuery = z.object({ at: isoDate.optional(), format: z.enum(reportFormats).default('json') });
export const statusReportQuery = z.object({ format: z.enum(reportFormats).default('json') });

export const contractReportSchema = z.object({
  contractId: z.string(),
  /** Whether the figures were read under disclosure control (month ends, small figures withheld), as the server decided. */
  disclosureControl: z.boolean(),
  asOf: z.string(),
  goals: z.array(goalFiguresSchema),
});

export const indicatorChangeSchema = z.object({ number: z.number().int(), indicator: indicatorSchema });

export const intentDeclarationSchema = z.object({
  municipalityCode: z.number().int(),
  municipality: z.string(),
  signedOn: z.string().nullable(),
  evaluationMeetingOn: z.string().nullable(),
  keyAccountManager: z.string().nullable(),
  notes: z.string().nullable(),
});
export const intentDeclarationsSchema = z.object({ year: z.number().int(), items: z.array(intentDeclarationSchema) });

export const intentDeclarationBody = z.strictObject({
  signedOn: isoDate.nullable().optional(),
  evaluationMeetingOn: isoDate.nullable().optional(),
  keyAccountManager: z.string().trim().max(300).nullable().optional(),
  notes: z.string().trim().max(5_000).nullable().optional(),
});

export const okSchema = z.object({ ok: z.literal(true) });

export const statusReportSchema = z.object({
  id: z.string(),
  contractId: z.string(),
  asOf: z.string(),
  version: z.number().int(),
  status: z.enum(statusReportStatuses),
  /** The figures as of `asOf`; frozen once published. */
  snapshot: z.object({ asOf: z.string(), goals: z.array(goalFiguresSchema) }),
  directorComment: z.string().nullable(),
  /** By goal number. */
  goalComments: z.record(z.string(), z.string()),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
  abilities: statusReportAbilitiesSchema,
});

export const newStatusReportBody = z.strictObject({ asOf: isoDate });

export const statusReportChangeBody = z.strictObject({
  directorComment: z.string().trim().max(10_000).nullable().optional(),
  goalComments: z.record(z.string().regex(/^\d+$/), z.string().trim().max(5_000)).optional(),
  refresh: z.boolean().optional(),
});

export const evidenceSchema = z.object({
  id: z.string(),
  deliverable: z.string(),
  url: z.string().nullable(),
  fileName: z.string().nullable(),
  contentType: z.string().nullable(),
  sizeBytes: z.number().int().nullable(),
  addedAt: z.string(),
});

export const newEvidenceBody = z.union([
  z.strictObject({ deliverable: z.string().trim().min(1).max(300), url: z.url({ protocol: /^https?$/ }).max(2_000) }),
  z.strictObject({ deliverable: z.string().trim().min(1).max(300), fileName: z.string().trim().min(1).max(200), contentType: z.string(), contentBase64: z.string().min(1) }),
]);

export type Created = z.infer<typeof createdSchema>;
export type Ok = z.infer<typeof okSchema>;
export type ContractAbilities = z.infer<typeof contractAbilitiesSchema>;
export type StatusReportAbilities = z.infer<typeof statusReportAbilitiesSchema>;
export type ContractInput = z.infer<typeof contractInput>;
export type ContractTemplate = z.infer<typeof contractTemplateSchema>;
export type ContractExport = z.infer<typeof contractExportSchema>;
export type ContractImport = z.input<typeof contractImportBody>;
export type ContractChange = z.input<typeof contractChangeBody>;
export type ContractSummary = z.infer<typeof contractSummarySchema>;
export type Contract = z.infer<typeof contractSchema>;
export type Goal = z.infer<typeof goalSchema>;
export type GoalGroup = Goal['group'];
export type Reporting = Goal['reporting'];
export type Indicator = Goal['indicator'];
export type ManualIndicator = Extract<Indicator, { type: 'manual' }>;
/** What PUT …/goals/:number/indicator takes: any indicator, checked against the goal. */
export type IndicatorInput = z.input<typeof indicatorSchema>;
export type GoalFigures = z.infer<typeof goalFiguresSchema>;
export type Withheld = GoalFigures['withheld'];
export type ContractReport = z.infer<typeof contractReportSchema>;
export type ReportFormat = (typeof reportFormats)[number];
export type IndicatorChange = z.infer<typeof indicatorChangeSchema>;
export type IntentDeclaration = z.infer<typeof intentDeclarationSchema>;
export type IntentDeclarations = z.infer<typeof intentDeclarationsSchema>;
export type IntentDeclarationChange = z.input<typeof intentDeclarationBody>;
export type StatusReport = z.infer<typeof statusReportSchema>;
export type StatusReportStatus = StatusReport['status'];
export type NewStatusReport = z.input<typeof newStatusReportBody>;
export type StatusReportChange = z.input<typeof statusReportChangeBody>;
export type Evidence = z.infer<typeof evidenceSchema>;
export type NewEvidence = z.input<typeof newEvidenceBody>;
