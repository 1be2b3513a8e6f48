import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n.tsx';
import { today } from '../../shared/dates.ts';
import { ErrorAlert, Loading, SuccessAlert, usePageTitle } from '../../shared/components/Feedback.tsx';
import { DlRow, Disclosure, isForbiddenOrHidden } from '../../shared/components/ui.tsx';
import { NotFoundPage } from '../../shared/components/NotFoundPage.tsx';
import { ACTION_PLANS_KEY, actionPlansApi, exportUrl, useActionPlan, type ActionPlan, type Initiative } from './api.ts';
import { AssessmentForm, InitiativeForm, LinkForm, MilestoneForm, PlanForm } from './forms.tsx';
import './action-plans.css';

type Notify = (plan: ActionPlan, text: string) => void;

/** One action plan, /handleplaner/:id: the plan's table as cards, with progress, milestones, links and assessment. */
export function ActionPlanPage() {
  const { id } = useParams();
  const { t, d } = useI18n();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const query = useActionPlan(id);
  const [notice, setNotice] = useState<{ text: string; n: number } | null>(null);
  const [editing, setEditing] = useState(false);
  usePageTitle(query.data?.title ?? t('actionPlans.title'));
  const notify: Notify = (plan, text) => {
    qc.setQueryData([...ACTION_PLANS_KEY, plan.id], plan);
    void qc.invalidateQueries({ queryKey: ACTION_PLANS_KEY, exact: true });
    setNotice((s) => ({ text, n: (s?.n ?? 0) + 1 }));
  };
  const remove = useMutation({
    mutationFn: () => actionPlansApi.remove(id!),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ACTION_PLANS_KEY });
      void navigate('/handleplaner');
    },
  });

  if (query.isPending) return <Loading />;
  if (query.isError) return isForbiddenOrHidden(query.error) ? <NotFoundPage /> : <ErrorAlert error={query.error} />;
  const plan = query.data;
  const groups = [null, ...plan.focusAreas, ...new Set(plan.initiatives.map((i) => i.focusArea).filter((a): a is string => !!a && !plan.focusAreas.includes(a)))]
    .map((area) => ({ area, initiatives: plan.initiatives.filter((i) => (i.focusArea ?? null) === area) }))
    .filter((g) => g.initiatives.length > 0);

  return (
    <>
      <h1>{plan.title}</h1>
      {notice && <SuccessAlert focusKey={notice.n}>{notice.text}</SuccessAlert>}
      <ErrorAlert error={remove.error} />
      <dl className="kp-dl">
        <DlRow label={t('actionPlans.plan.owner')}>{plan.owner.name}</DlRow>
        <DlRow label={t('actionPlans.plan.period')}>
          {d(plan.periodStart)}–{d(plan.periodEnd)}
        </DlRow>
        {plan.focusAreas.length > 0 && <DlRow label={t('actionPlans.plan.focusAreas')}>{plan.focusAreas.join(', ')}</DlRow>}
      </dl>
      {plan.description && (
        <>
          <h2>{t('actionPlans.plan.purpose')}</h2>
          {plan.description.split('\n').map((line, i) => (
            <p key={i}>{line}</p>
          ))}
        </>
      )}
      <nav aria-label={t('actionPlans.plan.downloads')}>
        <ul className="kp-button-row kp-plain-list">
          <li>
            <a className="function-link" href={exportUrl(plan.id, 'docx')} download>
              {t('actionPlans.plan.docx')}
            </a>
          </li>
          <li>
            <a className="function-link" href={exportUrl(plan.id, 'pdf')} download>
              {t('actionPlans.plan.pdf')}
            </a>
          </li>
        </ul>
      </nav>
      {(plan.abilities.change || plan.abilities.delete) && (
        <div className="kp-button-row mt-5">
          {plan.abilities.change && !editing && (
            <button type="button" className="button button-secondary" onClick={() => setEditing(true)}>
              {t('actionPlans.plan.edit')}
            </button>
          )}
          {plan.abilities.delete && (
            <button
              type="button"
              className="button button-secondary"
              disabled={remove.isPending}
              onClick={() => {
                if (window.confirm(t('actionPlans.plan.deleteConfirm', { title: plan.title }))) remove.mutate();
              }}
            >
              {t('actionPlans.plan.delete')}
            </button>
          )}
        </div>
      )}
      {editing && (
        <section aria-labelledby="plan-edit-heading" className="mt-5">
          <h2 id="plan-edit-heading">{t('actionPlans.plan.edit')}</h2>
          <PlanForm
            plan={plan}
            onSaved={(saved) => {
              setEditing(false);
              notify(saved, t('actionPlans.plan.saved'));
            }}
            onCancel={() => setEditing(false)}
          />
        </section>
      )}

      <h2 className="mt-7">{t('actionPlans.plan.initiatives')}</h2>
      {plan.initiatives.length === 0 && <p>{t('actionPlans.plan.noInitiatives')}</p>}
      {groups.map((g) => (
        <section key={g.area ?? ''} aria-labelledby={`area-${groups.indexOf(g)}`}>
          <h3 id={`area-${groups.indexOf(g)}`} className="kp-focus-area">
            {g.area ?? t('actionPlans.plan.general')}
          </h3>
          {g.initiatives.map((i) => (
            <InitiativeCard key={i.id} plan={plan} initiative={i} notify={notify} />
          ))}
        </section>
      ))}
      {plan.abilities.change && (
        <section aria-labelledby="initiative-add-heading" className="mt-7">
          <h2 id="initiative-add-heading">{t('actionPlans.initiative.add')}</h2>
          <InitiativeForm plan={plan} idPrefix="new-initiative" onSaved={(saved, title) => notify(saved, t('actionPlans.initiative.added', { title }))} />
        </section>
      )}
    </>
  );
}

function responsibleText(t: ReturnType<typeof useI18n>['t'], i: Initiative): string {
  const responsible = i.responsible.organisation?.name ?? i.responsible.name ?? '';
  const partners = [...i.partners.organisations.map((o) => o.name), ...i.partners.names];
  return partners.length ? t('actionPlans.initiative.inCooperation', { responsible, partners: partners.join(', ') }) : responsible;
}

function InitiativeCard({ plan, initiative: i, notify }: { plan: ActionPlan; initiative: Initiative; notify: Notify }) {
  const { t, d, n } = useI18n();
  const [mode, setMode] = useState<'view' | 'edit' | 'assess'>('view');
  const can = plan.abilities.change;
  const headingId = `initiative-${i.id}`;
  const act = useMutation({
    mutationFn: (run: () => Promise<ActionPlan>) => run(),
  });
  const run = (call: () => Promise<ActionPlan>, text: string) => act.mutate(call, { onSuccess: (saved) => notify(saved, text) });
  const now = today();
  return (
    <article className="kp-initiative" aria-labelledby={headingId}>
      <header className="kp-initiative-header">
        <h4 id={headingId} className="kp-initiative-title">
          {i.title}
        </h4>
        <span className={`badge kp-badge kp-status-${i.status}`}>{t(`actionPlans.status.${i.status}`)}</span>
      </header>
      <ErrorAlert error={act.error} />
      {mode === 'edit' ? (
        <InitiativeForm
          plan={plan}
          initiative={i}
          idPrefix={`edit-${i.id}`}
          onSaved={(saved, title) => {
            setMode('view');
            notify(saved, t('actionPlans.initiative.saved', { title }));
          }}
          onCancel={() => setMode('view')}
        />
      ) : (
        <>
          <dl className="kp-dl">
            {i.description && <DlRow label={t('actionPlans.initiative.description')}>{i.description}</DlRow>}
            <DlRow label={t('actionPlans.initiative.objectives')}>
              <ul className="kp-objectives">
                {i.objectives.map((o, k) => (
                  <li key={k}>{o}</li>
                ))}
              </ul>
            </DlRow>
            <DlRow label={t('actionPlans.initiative.responsible')}>{responsibleText(t, i)}</DlRow>
            <DlRow label={t('actionPlans.assessment')}>
              {i.assessment ? (
                <>
                  <strong>{t(`actionPlans.assessment.${i.assessment.value}`)}</strong>
                  {i.assessment.comment && <> – {i.assessment.comment}</>}
                  <br />
                  <span className="kp-muted">{t('actionPlans.assessment.by', { name: i.assessment.by?.name ?? '', date: d(i.assessment.at) })}</span>
                </>
              ) : (
                t('actionPlans.assessment.none')
              )}
            </DlRow>
          </dl>
          <table className="table kp-progress-table">
            <caption>{t('actionPlans.progress')}</caption>
            <tbody>
              <tr>
                <th scope="row">{t('actionPlans.progress.companiesReached')}</th>
                <td className="kp-num">{n(i.progress.companiesReached)}</td>
              </tr>
              <tr>
                <th scope="row">{t('actionPlans.progress.eventsHeld')}</th>
                <td className="kp-num">{n(i.progress.eventsHeld)}</td>
              </tr>
              <tr>
                <th scope="row">{t('actionPlans.progress.referralsMade')}</th>
                <td className="kp-num">{n(i.progress.referralsMade)}</td>
              </tr>
            </tbody>
          </table>
          <p className="form-hint">{t('actionPlans.progress.hint')}</p>
        </>
      )}
      {mode === 'assess' && (
        <AssessmentForm
          plan={plan}
          initiative={i}
          onSaved={(saved) => {
            setMode('view');
            notify(saved, t('actionPlans.assessment.saved', { title: i.title }));
          }}
          onCancel={() => setMode('view')}
        />
      )}
      {can && mode === 'view' && (
        <div className="kp-button-row">
          <button type="button" className="button button-secondary" onClick={() => setMode('edit')}>
            {t('actionPlans.initiative.edit')}
          </button>
          <button type="button" className="button button-secondary" onClick={() => setMode('assess')}>
            {t('actionPlans.assessment.edit')}
          </button>
          {i.position > 1 && (
            <button type="button" className="button button-tertiary" disabled={act.isPending} onClick={() => run(() => actionPlansApi.changeInitiative(plan.id, i.id, { version: i.version, position: i.position - 1 }), t('actionPlans.initiative.saved', { title: i.title }))}>
              {t('actionPlans.initiative.moveUp')}
            </button>
          )}
          {i.position < plan.initiatives.length && (
            <button type="button" className="button button-tertiary" disabled={act.isPending} onClick={() => run(() => actionPlansApi.changeInitiative(plan.id, i.id, { version: i.version, position: i.position + 1 }), t('actionPlans.initiative.saved', { title: i.title }))}>
              {t('actionPlans.initiative.moveDown')}
            </button>
          )}
          {i.abilities.delete && (
            <button
              type="button"
              className="button button-tertiary"
              disabled={act.isPending}
              onClick={() => {
                if (window.confirm(t('actionPlans.initiative.deleteConfirm', { title: i.title }))) run(() => actionPlansApi.removeInitiative(plan.id, i.id), t('actionPlans.initiative.deleted'));
              }}
            >
              {t('actionPlans.initiative.delete')}
            </button>
          )}
        </div>
      )}

      <h5 className="kp-initiative-sub">{t('actionPlans.milestones')}</h5>
      {i.milestones.length === 0 ? (
        <p>{t('actionPlans.milestones.none')}</p>
      ) : (
        <ul className="kp-plain-list kp-milestones">
          {i.milestones.map((m) => (
            <li key={m.id}>
              <strong>{m.title}</strong>:{' '}
              {m.doneOn ? t('actionPlans.milestones.done', { date: d(m.doneOn) }) : m.dueOn < now ? t('actionPlans.milestones.overdue', { date: d(m.dueOn) }) : t('actionPlans.milestones.due', { date: d(m.dueOn) })}
              {can && (
                <>
                  {' '}
                  <button
                    type="button"
                    className="button button-tertiary"
                    disabled={act.isPending}
                    onClick={() => run(() => actionPlansApi.changeMilestone(plan.id, i.id, m.id, { doneOn: m.doneOn ? null : now }), t('actionPlans.milestones.changed'))}
                  >
                    {t(m.doneOn ? 'actionPlans.milestones.markOpen' : 'actionPlans.milestones.markDone', { title: m.title })}
                  </button>
                  <button type="button" className="button button-tertiary" disabled={act.isPending} onClick={() => run(() => actionPlansApi.removeMilestone(plan.id, i.id, m.id), t('actionPlans.milestones.changed'))}>
                    {t('actionPlans.milestones.remove', { title: m.title })}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {can && (
        <Disclosure summary={t('actionPlans.milestones.add')}>
          <MilestoneForm plan={plan} initiative={i} onSaved={(saved, title) => notify(saved, t('actionPlans.milestones.added', { title }))} />
        </Disclosure>
      )}

      <h5 className="kp-initiative-sub">{t('actionPlans.links')}</h5>
      {i.links.length === 0 ? (
        <p>{t('actionPlans.links.none')}</p>
      ) : (
        <ul className="kp-plain-list kp-links">
          {i.links.map((l) => (
            <li key={l.id}>
              <span className="kp-muted">{t(`actionPlans.links.kind.${l.kind}`)}:</span> {l.visible ? l.label : <em>{t('actionPlans.links.hidden')}</em>}
              {can && (
                <>
                  {' '}
                  <button type="button" className="button button-tertiary" disabled={act.isPending} onClick={() => run(() => actionPlansApi.removeLink(plan.id, i.id, l.id), t('actionPlans.links.removed'))}>
                    {t('actionPlans.links.remove')}
                    <span className="sr-only"> {l.label ?? ''}</span>
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {can && (
        <Disclosure summary={t('actionPlans.links.add')}>
          <LinkForm plan={plan} initiative={i} onSaved={(saved) => notify(saved, t('actionPlans.links.added'))} />
        </Disclosure>
      )}
    </article>
  );
}
