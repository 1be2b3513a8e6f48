/** The action plan forms: the plan itself, an initiative, its assessment, a milestone and a link. */
import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n.tsx';
import { DateField, ErrorAlert, ErrorSummary, errorSummaryItems, Field, fieldErrorsOf, Fieldset, toDanishDate, toIsoDate } from '../../shared/components/Feedback.tsx';
import { useUnsavedChanges } from '../../shared/hooks/useUnsavedChanges.ts';
import { useOrganisations } from '../organisations/hooks.ts';
import { OrganisationOptions } from '../organisations/OrganisationOptions.tsx';
import { actionPlansApi, ASSESSMENTS, byField, INITIATIVE_STATUSES, linesOf, LINK_KINDS, type ActionPlan, type AssessmentChange, type Initiative, type LinkKind } from './api.ts';

type Errors = Record<string, string>;

/** The form's own checks and the server's field errors, one message per field, and the summary's lines. */
function useFormErrors(error: unknown, missing: Errors, targets: readonly (readonly [string, string])[]) {
  const errors = { ...byField(fieldErrorsOf(error)), ...missing };
  return { errors, summary: errorSummaryItems(errors, targets) };
}

function TextInput({ id, label, hint, error, value, onChange, required, maxLength = 300 }: { id: string; label: string; hint?: string; error?: string | undefined; value: string; onChange: (v: string) => void; required?: boolean; maxLength?: number }) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(describedBy) => (
        <input
          id={id}
          className="form-input"
          autoComplete="off"
          maxLength={maxLength}
          required={required}
          aria-required={required ? 'true' : undefined}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
        />
      )}
    </Field>
  );
}

function TextArea({ id, label, hint, error, value, onChange, required, rows = 4 }: { id: string; label: string; hint?: string; error?: string | undefined; value: string; onChange: (v: string) => void; required?: boolean; rows?: number }) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(describedBy) => (
        <textarea
          id={id}
          className="form-input"
          rows={rows}
          maxLength={10_000}
          required={required}
          aria-required={required ? 'true' : undefined}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
        />
      )}
    </Field>
  );
}

function Buttons({ submit, pending, onCancel }: { submit: string; pending: boolean; onCancel?: (() => void) | undefined }) {
  const { t } = useI18n();
  return (
    <div className="mt-5 kp-button-row">
      <button type="submit" className="button button-primary" disabled={pending}>
        {submit}
      </button>
      {onCancel && (
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      )}
    </div>
  );
}

/** A new plan, or — with `plan` — a change of its title, period, focus areas and purpose. */
export function PlanForm({ plan, onSaved, onCancel }: { plan?: ActionPlan; onSaved: (plan: ActionPlan) => void; onCancel?: () => void }) {
  const { t } = useI18n();
  const initial = {
    title: plan?.title ?? '',
    start: toDanishDate(plan?.periodStart),
    end: toDanishDate(plan?.periodEnd),
    focusAreas: plan?.focusAreas.join('\n') ?? '',
    description: plan?.description ?? '',
  };
  const [v, setV] = useState(initial);
  const [missing, setMissing] = useState<Errors>({});
  const [focus, setFocus] = useState(0);
  const set = (key: keyof typeof initial) => (value: string) => setV((s) => ({ ...s, [key]: value }));
  const save = useMutation({
    mutationFn: () => {
      const body = { title: v.title.trim(), periodStart: toIsoDate(v.start), periodEnd: toIsoDate(v.end), focusAreas: linesOf(v.focusAreas), description: v.description.trim() || null };
      return plan ? actionPlansApi.change(plan.id, { version: plan.version, ...body }) : actionPlansApi.create(body);
    },
    onSuccess: onSaved,
    onError: () => setFocus((n) => n + 1),
  });
  useUnsavedChanges(JSON.stringify(v) !== JSON.stringify(initial) && !save.isPending && !save.isSuccess);
  const { errors, summary } = useFormErrors(save.error, missing, [
    ['title', 'plan-title'],
    ['periodStart', 'plan-start'],
    ['periodEnd', 'plan-end'],
    ['focusAreas', 'plan-focus'],
    ['description', 'plan-description'],
  ]);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const found: Errors = {};
    if (!v.title.trim()) found.title = t('actionPlans.form.titleRequired');
    if (!v.start.trim()) found.periodStart = t('actionPlans.form.dateRequired');
    if (!v.end.trim()) found.periodEnd = t('actionPlans.form.dateRequired');
    setMissing(found);
    if (Object.keys(found).length) {
      save.reset();
      setFocus((n) => n + 1);
      return;
    }
    save.mutate();
  };
  return (
    <form onSubmit={onSubmit} noValidate>
      <ErrorSummary id="plan-errors" heading={t('actionPlans.form.errors')} items={summary} focusKey={focus} />
      {summary.length === 0 && <ErrorAlert error={save.error} />}
      <TextInput id="plan-title" label={t('actionPlans.form.title')} value={v.title} onChange={set('title')} error={errors.title} required />
      <DateField id="plan-start" label={t('actionPlans.form.periodStart')} value={v.start} onChange={set('start')} error={errors.periodStart} required />
      <DateField id="plan-end" label={t('actionPlans.form.periodEnd')} value={v.end} onChange={set('end')} error={errors.periodEnd} required />
      <TextArea id="plan-focus" label={t('actionPlans.form.focusAreas')} hint={t('actionPlans.form.focusAreasHint')} value={v.focusAreas} onChange={set('focusAreas')} error={errors.focusAreas} rows={3} />
      <TextArea id="plan-description" label={t('actionPlans.form.description')} value={v.description} onChange={set('description')} error={errors.description} rows={6} />
      <Buttons submit={plan ? t('actionPlans.form.save') : t('actionPlans.form.submit')} pending={save.isPending} onCancel={onCancel} />
    </form>
  );
}

/** A new initiative of `plan`, or — with `initiative` — a change of it. */
export function InitiativeForm({ plan, initiative, idPrefix, onSaved, onCancel }: { plan: ActionPlan; initiative?: Initiative; idPrefix: string; onSaved: (plan: ActionPlan, title: string) => void; onCancel?: () => void }) {
  const { t } = useI18n();
  const organisations = useOrganisations(true);
  const initial = {
    title: initiative?.title ?? '',
    focusArea: initiative?.focusArea ?? '',
    description: initiative?.description ?? '',
    objectives: initiative?.objectives.join('\n') ?? '',
    responsibleKind: initiative?.responsible.name ? 'outside' : 'organisation',
    responsibleOrganisationId: initiative?.responsible.organisation?.id ?? plan.owner.id,
    responsibleName: initiative?.responsible.name ?? '',
    partnerOrganisationIds: initiative?.partners.organisations.map((o) => o.id) ?? [],
    partnerNames: initiative?.partners.names.join('\n') ?? '',
    status: initiative?.status ?? 'planned',
  };
  const [v, setV] = useState(initial);
  const [missing, setMissing] = useState<Errors>({});
  const [focus, setFocus] = useState(0);
  const set = <K extends keyof typeof initial>(key: K) => (value: (typeof initial)[K]) => setV((s) => ({ ...s, [key]: value }));
  const save = useMutation({
    mutationFn: () => {
      const outside = v.responsibleKind === 'outside';
      const body = {
        title: v.title.trim(),
        focusArea: v.focusArea || null,
        description: v.description.trim(),
        objectives: linesOf(v.objectives),
        responsibleOrganisationId: outside ? null : v.responsibleOrganisationId,
        responsibleName: outside ? v.responsibleName.trim() : null,
        partnerOrganisationIds: v.partnerOrganisationIds,
        partnerNames: linesOf(v.partnerNames),
        status: v.status,
      };
      return initiative ? actionPlansApi.changeInitiative(plan.id, initiative.id, { version: initiative.version, ...body }) : actionPlansApi.addInitiative(plan.id, body);
    },
    onSuccess: (saved) => {
      onSaved(saved, v.title.trim());
      if (!initiative) setV(initial);
    },
    onError: () => setFocus((n) => n + 1),
  });
  useUnsavedChanges(JSON.stringify(v) !== JSON.stringify(initial) && !save.isPending);
  const id = (name: string) => `${idPrefix}-${name}`;
  const { errors, summary } = useFormErrors(save.error, missing, [
    ['title', id('title')],
    ['focusArea', id('focus')],
    ['description', id('description')],
    ['objectives', id('objectives')],
    ['responsibleOrganisationId', v.responsibleKind === 'outside' ? id('responsible-name') : id('responsible-org')],
    ['responsibleName', id('responsible-name')],
    ['partnerOrganisationIds', id('partners')],
    ['partnerNames', id('partner-names')],
    ['status', id('status')],
  ]);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const found: Errors = {};
    if (!v.title.trim()) found.title = t('actionPlans.initiative.titleRequired');
    if (linesOf(v.objectives).length === 0) found.objectives = t('actionPlans.initiative.objectivesRequired');
    setMissing(found);
    if (Object.keys(found).length) {
      save.reset();
      setFocus((n) => n + 1);
      return;
    }
    save.mutate();
  };
  const areas = [...new Set([...plan.focusAreas, ...(initiative?.focusArea ? [initiative.focusArea] : [])])];
  // Without `manage` the server accepts only organisations already on the plan, so only those are offered.
  const onPlan = new Set([plan.owner.id, ...plan.initiatives.flatMap((x) => [...(x.responsible.organisation ? [x.responsible.organisation.id] : []), ...x.partners.organisations.map((o) => o.id)])]);
  const choosable = organisations.data && (plan.abilities.manage ? organisations.data : organisations.data.filter((o) => onPlan.has(o.id)));
  const partnersHint = plan.abilities.manage ? t('actionPlans.initiative.partnerOrganisationsHint') : `${t('actionPlans.initiative.partnerOrganisationsHint')} ${t('actionPlans.initiative.organisationsOnPlanHint')}`;
  return (
    <form onSubmit={onSubmit} noValidate className="kp-initiative-form">
      <ErrorSummary id={id('errors')} heading={t('actionPlans.initiative.errors')} items={summary} focusKey={focus} />
      {summary.length === 0 && <ErrorAlert error={save.error} />}
      <TextInput id={id('title')} label={t('actionPlans.initiative.title')} value={v.title} onChange={set('title')} error={errors.title} required />
      {areas.length > 0 && (
        <Field id={id('focus')} label={t('actionPlans.initiative.focusArea')} error={errors.focusArea}>
          {(describedBy) => (
            <select id={id('focus')} className="form-select" value={v.focusArea} onChange={(e) => set('focusArea')(e.target.value)} aria-describedby={describedBy}>
              <option value="">{t('actionPlans.plan.general')}</option>
              {areas.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <TextArea id={id('description')} label={t('actionPlans.initiative.description')} value={v.description} onChange={set('description')} error={errors.description} />
      <TextArea id={id('objectives')} label={t('actionPlans.initiative.objectives')} hint={t('actionPlans.initiative.objectivesHint')} value={v.objectives} onChange={set('objectives')} error={errors.objectives} required rows={3} />
      <Fieldset id={id('responsible-kind')} legend={t('actionPlans.initiative.responsibleKind')} error={errors.responsibleOrganisationId}>
        {(['organisation', 'outside'] as const).map((kind) => (
          <div className="form-group-radio" key={kind}>
            <input type="radio" className="form-radio" id={id(`responsible-${kind}`)} name={id('responsible-kind')} checked={v.responsibleKind === kind} onChange={() => set('responsibleKind')(kind)} />
            <label className="form-label" htmlFor={id(`responsible-${kind}`)}>
              {t(kind === 'organisation' ? 'actionPlans.initiative.responsibleOrganisation' : 'actionPlans.initiative.responsibleOutside')}
            </label>
          </div>
        ))}
      </Fieldset>
      {v.responsibleKind === 'organisation' ? (
        <Field id={id('responsible-org')} label={t('actionPlans.initiative.responsibleOrganisationField')}>
          {(describedBy) => (
            <select id={id('responsible-org')} className="form-select" value={v.responsibleOrganisationId} onChange={(e) => set('responsibleOrganisationId')(e.target.value)} aria-describedby={describedBy}>
              {choosable ? <OrganisationOptions organisations={choosable} /> : <option value={plan.owner.id}>{plan.owner.name}</option>}
            </select>
          )}
        </Field>
      ) : (
        <TextInput id={id('responsible-name')} label={t('actionPlans.initiative.responsibleNameField')} hint={t('actionPlans.initiative.responsibleNameHint')} value={v.responsibleName} onChange={set('responsibleName')} error={errors.responsibleName} required maxLength={200} />
      )}
      <Field id={id('partners')} label={t('actionPlans.initiative.partnerOrganisations')} hint={partnersHint} error={errors.partnerOrganisationIds}>
        {(describedBy) => (
          <select
            id={id('partners')}
            className="form-select kp-multi-select"
            multiple
            size={6}
            value={v.partnerOrganisationIds}
            onChange={(e) => set('partnerOrganisationIds')([...e.target.selectedOptions].map((o) => o.value))}
            aria-describedby={describedBy}
          >
            {choosable && <OrganisationOptions organisations={choosable} />}
          </select>
        )}
      </Field>
      <TextArea id={id('partner-names')} label={t('actionPlans.initiative.partnerNames')} hint={t('actionPlans.initiative.partnerNamesHint')} value={v.partnerNames} onChange={set('partnerNames')} error={errors.partnerNames} rows={2} />
      <Field id={id('status')} label={t('actionPlans.initiative.status')} error={errors.status}>
        {(describedBy) => (
          <select id={id('status')} className="form-select" value={v.status} onChange={(e) => set('status')(e.target.value as Initiative['status'])} aria-describedby={describedBy}>
            {INITIATIVE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`actionPlans.status.${s}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Buttons submit={initiative ? t('actionPlans.initiative.save') : t('actionPlans.initiative.submit')} pending={save.isPending} onCancel={onCancel} />
    </form>
  );
}

/** The initiative's manual assessment with a comment. */
export function AssessmentForm({ plan, initiative, onSaved, onCancel }: { plan: ActionPlan; initiative: Initiative; onSaved: (plan: ActionPlan) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const idPrefix = `assess-${initiative.id}`;
  const [value, setValue] = useState<string>(initiative.assessment?.value ?? '');
  const [comment, setComment] = useState(initiative.assessment?.comment ?? '');
  const [focus, setFocus] = useState(0);
  const save = useMutation({
    mutationFn: () =>
      actionPlansApi.assess(plan.id, initiative.id, { version: initiative.version, assessment: (value || null) as AssessmentChange['assessment'], comment: comment.trim() }),
    onSuccess: onSaved,
    onError: () => setFocus((n) => n + 1),
  });
  const { errors, summary } = useFormErrors(save.error, {}, [
    ['assessment', `${idPrefix}-value`],
    ['comment', `${idPrefix}-comment`],
  ]);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <ErrorSummary id={`${idPrefix}-errors`} heading={t('actionPlans.initiative.errors')} items={summary} focusKey={focus} />
      {summary.length === 0 && <ErrorAlert error={save.error} />}
      <Field id={`${idPrefix}-value`} label={t('actionPlans.assessment.value')} error={errors.assessment}>
        {(describedBy) => (
          <select id={`${idPrefix}-value`} className="form-select" value={value} onChange={(e) => setValue(e.target.value)} aria-describedby={describedBy}>
            <option value="">{t('actionPlans.assessment.none')}</option>
            {ASSESSMENTS.map((a) => (
              <option key={a} value={a}>
                {t(`actionPlans.assessment.${a}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <TextArea id={`${idPrefix}-comment`} label={t('actionPlans.assessment.comment')} value={comment} onChange={setComment} error={errors.comment} rows={3} />
      <Buttons submit={t('actionPlans.assessment.save')} pending={save.isPending} onCancel={onCancel} />
    </form>
  );
}

/** A new milestone of an initiative. */
export function MilestoneForm({ plan, initiative, onSaved }: { plan: ActionPlan; initiative: Initiative; onSaved: (plan: ActionPlan, title: string) => void }) {
  const { t } = useI18n();
  const idPrefix = `milestone-${initiative.id}`;
  const [title, setTitle] = useState('');
  const [due, setDue] = useState('');
  const [missing, setMissing] = useState<Errors>({});
  const [focus, setFocus] = useState(0);
  const save = useMutation({
    mutationFn: () => actionPlansApi.addMilestone(plan.id, initiative.id, { title: title.trim(), dueOn: toIsoDate(due) }),
    onSuccess: (saved) => {
      onSaved(saved, title.trim());
      setTitle('');
      setDue('');
    },
    onError: () => setFocus((n) => n + 1),
  });
  const { errors, summary } = useFormErrors(save.error, missing, [
    ['title', `${idPrefix}-title`],
    ['dueOn', `${idPrefix}-due`],
  ]);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const found: Errors = {};
    if (!title.trim()) found.title = t('actionPlans.form.titleRequired');
    if (!due.trim()) found.dueOn = t('actionPlans.form.dateRequired');
    setMissing(found);
    if (Object.keys(found).length) {
      save.reset();
      setFocus((n) => n + 1);
      return;
    }
    save.mutate();
  };
  return (
    <form onSubmit={onSubmit} noValidate>
      <ErrorSummary id={`${idPrefix}-errors`} heading={t('actionPlans.milestones.errors')} items={summary} focusKey={focus} />
      {summary.length === 0 && <ErrorAlert error={save.error} />}
      <TextInput id={`${idPrefix}-title`} label={t('actionPlans.milestones.title')} value={title} onChange={setTitle} error={errors.title} required />
      <DateField id={`${idPrefix}-due`} label={t('actionPlans.milestones.dueOn')} value={due} onChange={setDue} error={errors.dueOn} required />
      <Buttons submit={t('actionPlans.milestones.add')} pending={save.isPending} />
    </form>
  );
}

/** Link an engagement, event, offer or referral: search what the server lets the caller see, choose one. */
export function LinkForm({ plan, initiative, onSaved }: { plan: ActionPlan; initiative: Initiative; onSaved: (plan: ActionPlan) => void }) {
  const { t } = useI18n();
  const idPrefix = `link-${initiative.id}`;
  const [kind, setKind] = useState<LinkKind>('engagement');
  const [q, setQ] = useState('');
  const [chosen, setChosen] = useState('');
  const [focus, setFocus] = useState(0);
  const search = useMutation({ mutationFn: () => actionPlansApi.linkTargets(kind, q.trim()), onSuccess: (found) => setChosen(found.items[0]?.id ?? '') });
  const save = useMutation({
    mutationFn: () => actionPlansApi.addLink(plan.id, initiative.id, { kind, targetId: chosen }),
    onSuccess: (saved) => {
      onSaved(saved);
      search.reset();
      setChosen('');
    },
    onError: () => setFocus((n) => n + 1),
  });
  const { errors, summary } = useFormErrors(save.error, {}, [['targetId', `${idPrefix}-target`]]);
  const results = search.data?.items ?? [];
  return (
    <div className="kp-link-form">
      <ErrorSummary id={`${idPrefix}-errors`} heading={t('actionPlans.links.errors')} items={summary} focusKey={focus} />
      {summary.length === 0 && <ErrorAlert error={save.error ?? search.error} />}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          search.mutate();
        }}
      >
        <Field id={`${idPrefix}-kind`} label={t('actionPlans.links.kind')}>
          {(describedBy) => (
            <select
              id={`${idPrefix}-kind`}
              className="form-select"
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as LinkKind);
                search.reset();
                setChosen('');
              }}
              aria-describedby={describedBy}
            >
              {LINK_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`actionPlans.links.kind.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextInput id={`${idPrefix}-q`} label={t('actionPlans.links.search')} hint={t('actionPlans.links.searchHint')} value={q} onChange={setQ} maxLength={100} />
        <button type="submit" className="button button-secondary mt-3" disabled={search.isPending}>
          {t('actionPlans.links.searchButton')}
        </button>
      </form>
      {search.isSuccess &&
        (results.length === 0 ? (
          <p role="status">{t('actionPlans.links.noResults')}</p>
        ) : (
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              save.mutate();
            }}
          >
            <Field id={`${idPrefix}-target`} label={t('actionPlans.links.results')} error={errors.targetId}>
              {(describedBy) => (
                <select id={`${idPrefix}-target`} className="form-select" value={chosen} onChange={(e) => setChosen(e.target.value)} aria-describedby={describedBy}>
                  {results.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Buttons submit={t('actionPlans.links.add')} pending={save.isPending} />
          </form>
        ))}
    </div>
  );
}
