import { useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n.tsx';
import { ErrorAlert, Field, Loading, SuccessAlert, useAutoFocus, usePageTitle } from '../../shared/components/Feedback.tsx';
import { useUnsavedChanges } from '../../shared/hooks/useUnsavedChanges.ts';
import { contractsApi, statusReportUrl, type Contract, type StatusReport, type StatusReportChange } from './api.ts';
import { byGroup, Downloads, GoalCard, groupLabelKey, ProblemAlert, StatusReportBadge } from './components.tsx';
import { contractParties, useContract } from './ContractDashboardPage.tsx';

export function ContractStatusReportPage() {
  const { id } = useParams();
  const { t, d } = useI18n();
  const report = useQuery({ queryKey: ['status-report', id], queryFn: () => contractsApi.statusReport(id!), enabled: !!id });
  const contract = useContract(report.data?.contractId);
  const title = report.data ? t('contracts.report.title', { date: d(report.data.asOf) }) : t('contracts.report.titlePlain');
  usePageTitle(title);

  if (report.isPending || (report.isSuccess && contract.isPending)) return <Loading />;
  if (report.isError) {
    return (
      <>
        <h1>{t('contracts.report.titlePlain')}</h1>
        <ErrorAlert error={report.error} />
        <p>
          <Link to="/kontrakter">{t('contracts.back')}</Link>
        </p>
      </>
    );
  }
  if (contract.isError) return <ErrorAlert error={contract.error} />;
  const r = report.data;
  const c = contract.data!;
  const editable = r.status === 'draft' && r.abilities.change;
  return (
    <>
      <p className="mb-3">
        <Link to={`/kontrakter/${c.id}?fane=statusrapporter`} className="back-link">
          {t('contracts.report.back')}
        </Link>
      </p>
      <h1>
        {title}
        <span className="kp-card-sub">{c.title}</span>
      </h1>
      <ReportMeta report={r} contract={c} />
      <Downloads url={(f) => statusReportUrl(r.id, f)} label={t('contracts.report.downloads')} />
      {editable ? <DraftEditor key={r.id} report={r} contract={c} /> : <ReadOnlyReport report={r} contract={c} />}
    </>
  );
}

function ReportMeta({ report, contract }: { report: StatusReport; contract: Contract }) {
  const { t, d } = useI18n();
  const parties = contractParties(contract);
  return (
    <div className="mb-5">
      <p>
        <StatusReportBadge status={report.status} />
      </p>
      {report.status === 'published' ? (
        <p className="kp-contract-published">
          {t('contracts.report.publishedLine', { date: d(report.publishedAt), version: report.version })}
        </p>
      ) : (
        <p>{t('contracts.report.draftLine', { version: report.version })}</p>
      )}
      {parties && (
        <p>
          {t('contracts.parties')}: {parties.kkr} – {parties.hub}
        </p>
      )}
    </div>
  );
}

function ReadOnlyReport({ report, contract }: { report: StatusReport; contract: Contract }) {
  const { t } = useI18n();
  return (
    <>
      <section aria-labelledby="director-heading" className="mb-7">
        <h2 id="director-heading">{t('contracts.report.directorComment')}</h2>
        {report.directorComment ? <p className="kp-pre kp-director-comment">{report.directorComment}</p> : <p>{t('contracts.report.noComment')}</p>}
      </section>
      <h2>{t('contracts.tab.goals')}</h2>
      {byGroup(report.snapshot.goals).map((section) => (
        <section key={section.group} aria-labelledby={`rgroup-${section.group}`}>
          <h3 id={`rgroup-${section.group}`}>{t(groupLabelKey(section.group))}</h3>
          <ul className="kp-goal-grid">
            {section.goals.map((g) => {
              const comment = report.goalComments[String(g.number)];
              return (
                <li key={g.number}>
                  <GoalCard report={g} goal={contract.goals.find((x) => x.number === g.number)} headingLevel={4}>
                    {comment && (
                      <div className="kp-goal-comment">
                        <p className="mb-0">
                          <strong>{t('contracts.report.goalComment')}</strong>
                        </p>
                        <p className="kp-pre mt-0">{comment}</p>
                      </div>
                    )}
                  </GoalCard>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </>
  );
}

function DraftEditor({ report, contract }: { report: StatusReport; contract: Contract }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [director, setDirector] = useState(report.directorComment ?? '');
  const [comments, setComments] = useState<Record<string, string>>(() => ({ ...report.goalComments }));
  const [message, setMessage] = useState<string | null>(null);
  // Bumped on every save: the success message takes focus (it is shown again after each save).
  const [savedKey, setSavedKey] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const publishButton = useRef<HTMLButtonElement>(null);

  // Comments typed but not saved (compared as they would be stored: trimmed) warn before leaving.
  const dirty =
    director.trim() !== (report.directorComment ?? '').trim() ||
    Object.entries(comments).some(([k, v]) => v.trim() !== (report.goalComments[k] ?? '').trim());
  useUnsavedChanges(dirty);

  const setReport = (r: StatusReport) => {
    qc.setQueryData(['status-report', r.id], r);
    void qc.invalidateQueries({ queryKey: ['status-reports', r.contractId] });
  };

  const body = (): StatusReportChange => {
    const goalComments: Record<string, string> = {};
    for (const [k, v] of Object.entries(comments)) goalComments[k] = v.trim();
    return { directorComment: director.trim() === '' ? null : director.trim(), goalComments };
  };

  const save = useMutation({
    mutationFn: (patch: StatusReportChange) => contractsApi.updateStatusReport(report.id, patch),
    onSuccess: (r, patch) => {
      setReport(r);
      setMessage(patch.refresh ? t('contracts.report.refreshed') : t('contracts.report.saved'));
      setSavedKey((n) => n + 1);
    },
  });

  const publish = useMutation({
    mutationFn: async () => {
      await contractsApi.updateStatusReport(report.id, body());
      return contractsApi.publishStatusReport(report.id);
    },
    onSuccess: (r) => {
      setReport(r);
      void qc.invalidateQueries({ queryKey: ['contract-report', r.contractId] });
    },
  });

  const error = save.error ?? publish.error;
  return (
    <>
      <form
        noValidate
        aria-labelledby="report-edit-heading"
        onSubmit={(e) => {
          e.preventDefault();
          setMessage(null);
          publish.reset();
          save.mutate(body());
        }}
      >
        <h2 id="report-edit-heading" className="sr-only">
          {t('contracts.report.editHeading')}
        </h2>
        <p>{t('contracts.report.draftIntro')}</p>
        <Field id="director-comment" label={t('contracts.report.directorComment')} hint={t('contracts.report.directorHint')}>
          {(db) => (
            <textarea id="director-comment" className="form-input" rows={6} value={director} onChange={(e) => setDirector(e.target.value)} aria-describedby={db} />
          )}
        </Field>
        <h2>{t('contracts.tab.goals')}</h2>
        {byGroup(report.snapshot.goals).map((section) => (
          <section key={section.group} aria-labelledby={`rgroup-${section.group}`}>
            <h3 id={`rgroup-${section.group}`}>{t(groupLabelKey(section.group))}</h3>
            <ul className="kp-goal-grid">
              {section.goals.map((g) => (
                <li key={g.number}>
                  <GoalCard report={g} goal={contract.goals.find((x) => x.number === g.number)} headingLevel={4}>
                    <div className="kp-goal-comment">
                      <Field id={`goal-comment-${g.number}`} label={t('contracts.report.goalCommentFor', { n: g.number })}>
                        {(db) => (
                          <textarea
                            id={`goal-comment-${g.number}`}
                            className="form-input"
                            rows={3}
                            value={comments[String(g.number)] ?? ''}
                            onChange={(e) => setComments((prev) => ({ ...prev, [String(g.number)]: e.target.value }))}
                            aria-describedby={db}
                          />
                        )}
                      </Field>
                    </div>
                  </GoalCard>
                </li>
              ))}
            </ul>
          </section>
        ))}
        {error && <FocusedProblem error={error} />}
        {message && !save.isPending && <SuccessAlert focusKey={savedKey}>{message}</SuccessAlert>}
        <div className="kp-button-row mb-5">
          <button type="submit" className="button button-primary" disabled={save.isPending || publish.isPending}>
            {save.isPending ? t('contracts.saving') : t('contracts.report.save')}
          </button>
          <button
            type="button"
            className="button button-secondary"
            disabled={save.isPending || publish.isPending}
            onClick={() => {
              setMessage(null);
              publish.reset();
              save.mutate({ ...body(), refresh: true });
            }}
          >
            {t('contracts.report.refresh')}
          </button>
          {report.abilities.publish && (
            <button
              ref={publishButton}
              type="button"
              className="button button-secondary"
              aria-expanded={confirming}
              aria-controls="publish-confirm"
              onClick={() => setConfirming((v) => !v)}
            >
              {t('contracts.report.publish')}
            </button>
          )}
        </div>
      </form>
      <div id="publish-confirm">
        {confirming && (
          <div className="alert alert-warning" role="region" aria-labelledby="publish-confirm-heading">
            <div className="alert-body">
              <p className="alert-heading" id="publish-confirm-heading">
                <strong>{t('contracts.report.confirmHeading')}</strong>
              </p>
              <p className="alert-text">{t('contracts.report.confirmText')}</p>
              <div className="kp-button-row">
                <button type="button" className="button button-primary" disabled={publish.isPending} onClick={() => {
                    // A save's old error makes way for this attempt's answer.
                    save.reset();
                    publish.mutate();
                  }}>
                  {publish.isPending ? t('contracts.report.publishing') : t('contracts.report.confirmPublish')}
                </button>
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => {
                    setConfirming(false);
                    publishButton.current?.focus();
                  }}
                >
                  {t('common.cancel')}
                </button>
              </div>
            </div>
          </div>
        )}
      </div>
    </>
  );
}

/** A refused save or publish: a new submit hides the old one, so it takes focus each time it is shown. */
function FocusedProblem({ error }: { error: unknown }) {
  const ref = useAutoFocus<HTMLDivElement>(true);
  return (
    <div ref={ref} tabIndex={-1} className="kp-focus-target">
      <ProblemAlert error={error} />
    </div>
  );
}
