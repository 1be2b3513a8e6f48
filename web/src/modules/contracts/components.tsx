/** Shared pieces of the contract pages: goal cards, the manual goal editor, downloads, problems. */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api.ts';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { Disclosure } from '../../shared/components/ui.tsx';
import { Field, SuccessAlert } from '../../shared/components/Feedback.tsx';
import {
  contractsApi,
  DOWNLOAD_FORMATS,
  GOAL_GROUPS,
  type DownloadFormat,
  type Goal,
  type GoalFigures,
  type GoalGroup,
  type ManualIndicator,
  type StatusReport,
} from './api.ts';
import './contracts.css';

const KNOWN_UNITS = ['NPS', '%', 'virksomheder', 'forløb', 'henvisninger', 'kommuner', 'leverancer', 'arrangementer', 'deltagere'];

/** A 400/409 problem: the detail (it names the goal) and the field messages. */
export function ProblemAlert({ error, heading, fields: listFields = true }: { error: unknown; heading?: string; fields?: boolean }) {
  const { t } = useI18n();
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : null;
  const detail = error instanceof ApiError ? error.problem.detail || error.message : error instanceof Error ? error.message : t('common.errorGeneric');
  const seen = new Set<string>();
  const fields = listFields
    ? (problem?.errors ?? []).filter((e) => {
        const k = `${e.field}|${e.message}`;
        if (!e.message || e.message === detail || seen.has(k)) return false;
        seen.add(k);
        return true;
      })
    : [];
  return (
    <div className="alert alert-error my-5" role="alert">
      <div className="alert-body">
        <p className="alert-heading">
          <strong>{heading ?? t('common.error')}</strong>
        </p>
        <p className="alert-text">{detail}</p>
        {fields.length > 0 && (
          <ul className="alert-text kp-contract-field-errors">
            {fields.map((e, i) => (
              <li key={`${e.field}-${i}`}>
                {e.field ? <code>{e.field}</code> : null}
                {e.field ? ': ' : ''}
                {e.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

export function useUnit(): (unit: string) => string {
  const { t } = useI18n();
  return (unit) => (KNOWN_UNITS.includes(unit) ? t(`contracts.unit.${unit}` as MessageKey) : unit);
}

export function groupLabelKey(group: GoalGroup): MessageKey {
  return `contracts.group.${group}` as MessageKey;
}

/** Goals in the order of the contract's groups: national, joint, regional. */
export function byGroup<T extends { group: GoalGroup; number: number }>(goals: T[]): { group: GoalGroup; goals: T[] }[] {
  return GOAL_GROUPS.map((group) => ({ group, goals: goals.filter((g) => g.group === group).sort((a, b) => a.number - b.number) })).filter(
    (s) => s.goals.length > 0,
  );
}

export function FulfilmentBar({ fulfilment, withheld = false }: { fulfilment: number | null; withheld?: boolean }) {
  const { t, n } = useI18n();
  if (withheld) return <p className="kp-goal-fulfilment kp-goal-fulfilment-none">{t('disclosure.fulfilmentWithheld')}</p>;
  if (fulfilment === null) {
    return <p className="kp-goal-fulfilment kp-goal-fulfilment-none">{t('contracts.notMeasured')}</p>;
  }
  const pct = Math.max(0, Math.min(100, fulfilment));
  const level = pct >= 100 ? 'full' : pct >= 50 ? 'part' : 'low';
  return (
    <div className="kp-goal-fulfilment">
      <span className="kp-bar-track kp-goal-track" aria-hidden="true">
        <span className={`kp-bar kp-goal-bar-${level}`} style={{ width: `${pct}%` }} />
      </span>
      <span className="kp-goal-fulfilment-text">{t('contracts.fulfilled', { pct: n(fulfilment) })}</span>
    </div>
  );
}

export function Trend({ trend, unit }: { trend: number | null; unit: string }) {
  const { t, n } = useI18n();
  const unitName = useUnit()(unit);
  if (trend === null) return null;
  const arrow = trend > 0 ? '▲' : trend < 0 ? '▼' : '▶';
  const text = trend > 0 ? t('contracts.trendUp', { n: n(trend), unit: unitName }) : trend < 0 ? t('contracts.trendDown', { n: n(Math.abs(trend)), unit: unitName }) : t('contracts.trendSame');
  return (
    <p className={`kp-goal-trend kp-goal-trend-${trend > 0 ? 'up' : trend < 0 ? 'down' : 'same'}`}>
      <span aria-hidden="true">{arrow} </span>
      {text}
    </p>
  );
}

interface GoalCardProps {
  report: GoalFigures;
  goal?: Goal;
  /** Extra content below the figures: the comment of a status report, the manual editor. */
  children?: ReactNode;
  headingLevel?: 3 | 4;
}

export function GoalCard({ report, goal, children, headingLevel = 3 }: GoalCardProps) {
  const { t, n } = useI18n();
  const unit = useUnit();
  const headingId = useId();
  const H = headingLevel === 3 ? 'h3' : 'h4';
  const manual = report.indicatorType === 'manual';
  // A goal counted from events may have further parts ticked off by hand; they read as deliverables.
  const handTicked = new Set(goal?.indicator.type === 'events_held' ? (goal.indicator.deliverables ?? []).map((d) => d.title) : []);
  // Withheld by the server from a KKR or national reader: fewer than 5 companies, or it would give such a number away.
  const withheld = report.withheld ?? null;
  return (
    <article className="kp-goal-card" aria-labelledby={headingId} data-goal={report.number}>
      <H id={headingId} className="kp-goal-title">
        <span className="kp-goal-number">{t('contracts.goalNumber', { n: report.number })}</span> {report.title}
      </H>
      <p className="kp-goal-reporting">{t(report.reporting === 'quarterly' ? 'contracts.reporting.quarterly' : 'contracts.reporting.annual')}</p>
      <p className="kp-goal-value">
        <span className="sr-only">{t('contracts.value')}: </span>
        {withheld ? (
          <>
            <span className="kp-goal-figure kp-goal-figure-withheld">{t(withheld === 'fewer_than_5' ? 'disclosure.fewerThan5' : 'disclosure.hidden')}</span>{' '}
            <span className="kp-goal-unit">{t(withheld === 'fewer_than_5' ? 'disclosure.fewerThan5Long' : 'disclosure.hiddenOverTime')}</span>
          </>
        ) : (
          <>
            <span className="kp-goal-figure">{report.value === null ? t('common.none') : n(report.value)}</span> <span className="kp-goal-unit">{unit(report.unit)}</span>
          </>
        )}
      </p>
      <p className="kp-goal-target">
        {t('contracts.target')}: {report.target === null ? t('common.none') : `${n(report.target)} ${unit(report.unit)}`}
      </p>
      <FulfilmentBar fulfilment={report.fulfilment} withheld={!!withheld} />
      <Trend trend={report.trend} unit={report.unit} />
      {report.breakdown.length > 0 && (
        <>
          <p className="kp-goal-breakdown-heading">{t(manual ? 'contracts.deliverables' : 'contracts.breakdown')}</p>
          <ul className="kp-goal-breakdown">
            {report.breakdown.map((b, i) => (
              <li key={`${b.label}-${i}`}>
                {manual || handTicked.has(b.label) ? (
                  <>
                    <span aria-hidden="true">{(b.value ?? 0) >= 1 ? '✓ ' : '○ '}</span>
                    {b.label}: {t((b.value ?? 0) >= 1 ? 'contracts.delivered' : 'contracts.notDelivered')}
                  </>
                ) : report.indicatorType === 'intent_declarations' ? (
                  b.label
                ) : (
                  <>
                    {b.label}: {b.value !== null ? n(b.value) : b.withheld === 'fewer_than_5' ? t('disclosure.fewerThan5') : t('disclosure.partHidden')}
                    {b.target !== null ? ` ${t('contracts.of')} ${n(b.target)}` : ''}
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {goal && isManual(goal) && goal.indicator.justification && (
        <p className="kp-goal-justification">
          <strong>{t('contracts.justification')}:</strong> {goal.indicator.justification}
        </p>
      )}
      {goal && (goal.method || goal.description) && (
        <Disclosure summary={t('contracts.methodSummary')} className="kp-goal-method">
          {goal.description && <p className="kp-pre">{goal.description}</p>}
          {goal.method && (
            <>
              <p className="mb-0">
                <strong>{t('contracts.method')}</strong>
              </p>
              <p className="kp-pre mt-0">{goal.method}</p>
            </>
          )}
        </Disclosure>
      )}
      {children}
    </article>
  );
}

function isManual(goal: Goal): goal is Goal & { indicator: ManualIndicator } {
  return goal.indicator.type === 'manual';
}

type EventsHeldIndicator = Extract<Goal['indicator'], { type: 'events_held' }>;

/** The contract editor for a goal's hand-ticked parts: a manual goal's deliverables, fulfilment and justification, or the deliverables beside an events count. */
export function ManualGoalEditor({ contractId, goal }: { contractId: string; goal: Goal }) {
  const { t } = useI18n();
  if (goal.indicator.type === 'events_held' && goal.indicator.deliverables?.length) {
    return (
      <Disclosure summary={t('contracts.editDeliverables')} className="kp-goal-editor">
        <DeliverablesForm contractId={contractId} goal={goal as Goal & { indicator: EventsHeldIndicator }} />
      </Disclosure>
    );
  }
  if (!isManual(goal)) return null;
  return (
    <Disclosure summary={t('contracts.editManual')} className="kp-goal-editor">
      <ManualGoalForm contractId={contractId} goal={goal} />
    </Disclosure>
  );
}

function ManualGoalForm({ contractId, goal }: { contractId: string; goal: Goal & { indicator: ManualIndicator } }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const base = `goal-${goal.number}`;
  const [done, setDone] = useState<boolean[]>(() => goal.indicator.deliverables.map((d) => d.done));
  const [fulfilment, setFulfilment] = useState(goal.indicator.fulfilment === null ? '' : String(goal.indicator.fulfilment));
  const [justification, setJustification] = useState(goal.indicator.justification ?? '');
  const [localError, setLocalError] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: (indicator: ManualIndicator) => contractsApi.saveIndicator(contractId, goal.number, indicator),
    onSuccess: async () => {
      await Promise.all([qc.invalidateQueries({ queryKey: ['contract', contractId] }), qc.invalidateQueries({ queryKey: ['contract-report', contractId] })]);
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const text = fulfilment.trim().replace(',', '.');
    const value = text === '' ? null : Number(text);
    if (value !== null && (!Number.isFinite(value) || value < 0 || value > 100)) {
      setLocalError(t('contracts.fulfilmentRange'));
      return;
    }
    setLocalError(null);
    save.mutate({
      type: 'manual',
      scale: { type: 'manual' },
      deliverables: goal.indicator.deliverables.map((d, i) => ({ title: d.title, done: done[i] ?? false })),
      fulfilment: value,
      justification: justification.trim() === '' ? null : justification.trim(),
    });
  };

  const fieldErrors = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  return (
    <form onSubmit={onSubmit} noValidate>
      <DeliverableChecks base={base} deliverables={goal.indicator.deliverables} done={done} onChange={setDone} />
      <Field id={`${base}-fulfilment`} label={t('contracts.fulfilmentLabel')} hint={t('contracts.fulfilmentHint')} error={localError ?? fieldErrors['indicator.fulfilment']}>
        {(db) => (
          <input
            id={`${base}-fulfilment`}
            className="form-input input-width-xs"
            type="text"
            inputMode="decimal"
            value={fulfilment}
            onChange={(e) => setFulfilment(e.target.value)}
            aria-describedby={db}
            aria-invalid={localError ? true : undefined}
          />
        )}
      </Field>
      <Field id={`${base}-justification`} label={t('contracts.justification')} error={fieldErrors['indicator.justification']}>
        {(db) => (
          <textarea
            id={`${base}-justification`}
            className="form-input"
            rows={3}
            value={justification}
            onChange={(e) => setJustification(e.target.value)}
            aria-describedby={db}
          />
        )}
      </Field>
      {save.isError && <ProblemAlert error={save.error} />}
      {save.isSuccess && !save.isPending && <SuccessAlert>{t('contracts.goalSaved', { n: goal.number })}</SuccessAlert>}
      <button type="submit" className="button button-primary" disabled={save.isPending}>
        {save.isPending ? t('contracts.saving') : t('contracts.saveGoal', { n: goal.number })}
      </button>
    </form>
  );
}

/** A goal's deliverables as checkboxes, ticked off by hand. */
function DeliverableChecks({ base, deliverables, done, onChange }: { base: string; deliverables: { title: string }[]; done: boolean[]; onChange: (done: boolean[]) => void }) {
  const { t } = useI18n();
  return (
    <fieldset className="kp-contract-fieldset">
      <legend className="form-label">{t('contracts.deliverables')}</legend>
      {deliverables.map((d, i) => (
        <div className="form-group-checkbox" key={`${d.title}-${i}`}>
          <input
            id={`${base}-d${i}`}
            type="checkbox"
            className="form-checkbox"
            checked={done[i] ?? false}
            onChange={(e) => onChange(done.map((v, j) => (j === i ? e.target.checked : v)))}
          />
          <label className="form-label" htmlFor={`${base}-d${i}`}>
            {d.title}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

/** Ticks off the deliverables of a goal whose value is counted from events; the count itself is the server's. */
function DeliverablesForm({ contractId, goal }: { contractId: string; goal: Goal & { indicator: EventsHeldIndicator } }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const base = `goal-${goal.number}`;
  const deliverables = goal.indicator.deliverables ?? [];
  const [done, setDone] = useState<boolean[]>(() => deliverables.map((d) => d.done));
  const save = useMutation({
    mutationFn: () => contractsApi.saveIndicator(contractId, goal.number, { ...goal.indicator, deliverables: deliverables.map((d, i) => ({ title: d.title, done: done[i] ?? false })) }),
    onSuccess: async () => {
      await Promise.all([qc.invalidateQueries({ queryKey: ['contract', contractId] }), qc.invalidateQueries({ queryKey: ['contract-report', contractId] })]);
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
      noValidate
    >
      <DeliverableChecks base={base} deliverables={deliverables} done={done} onChange={setDone} />
      {save.isError && <ProblemAlert error={save.error} />}
      {save.isSuccess && !save.isPending && <SuccessAlert focusKey={save.submittedAt}>{t('contracts.goalSaved', { n: goal.number })}</SuccessAlert>}
      <button type="submit" className="button button-primary" disabled={save.isPending}>
        {save.isPending ? t('contracts.saving') : t('contracts.saveGoal', { n: goal.number })}
      </button>
    </form>
  );
}

const FORMAT_LABEL: Record<DownloadFormat, MessageKey> = {
  docx: 'contracts.format.docx',
  pdf: 'contracts.format.pdf',
  xlsx: 'contracts.format.xlsx',
};

/** Download links for Word, PDF and Excel. */
export function Downloads({ url, label }: { url: (format: DownloadFormat) => string; label: string }) {
  const { t } = useI18n();
  return (
    <nav aria-label={label} className="kp-contract-downloads">
      <ul className="kp-button-row kp-plain-list">
        {DOWNLOAD_FORMATS.map((f) => (
          <li key={f}>
            <a className="function-link" href={url(f)} download>
              {t(FORMAT_LABEL[f])}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function StatusReportBadge({ status }: { status: StatusReport['status'] }) {
  const { t } = useI18n();
  return (
    <span className={`badge kp-badge ${status === 'published' ? 'badge-success' : 'badge-info'}`}>
      {t(status === 'published' ? 'contracts.report.status.published' : 'contracts.report.status.draft')}
    </span>
  );
}
