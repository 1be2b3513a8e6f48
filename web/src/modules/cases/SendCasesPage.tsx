import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n.tsx';
import { CheckboxList, ErrorAlert, Field, Fieldset, fieldErrorsOf, Loading, SuccessAlert, usePageTitle } from '../../shared/components/Feedback.tsx';
import { useSession } from '../auth/session.tsx';
import { useCompanyContacts } from '../contacts/api.ts';
import { casesApi, libraryApi } from './api.ts';

/** An adviser picks public cases to send a contact person of a company: /gode-historier/send?cvr=… */
export function SendCasesPage() {
  const { t } = useI18n();
  usePageTitle(t('cases.send.title'));
  const abilities = useSession().data?.abilities;
  const [params, setParams] = useSearchParams();
  const cvr = /^\d{8}$/.test(params.get('cvr') ?? '') ? params.get('cvr')! : '';
  const [cvrInput, setCvrInput] = useState(cvr);
  const contacts = useCompanyContacts(cvr, !!cvr);
  const withEmail = (contacts.data?.items ?? []).filter((c) => c.email && !c.erased);
  const library = useQuery({ queryKey: ['public-cases', 'send'], queryFn: () => libraryApi.search({}, 50) });
  const [contactId, setContactId] = useState('');
  const [caseIds, setCaseIds] = useState<string[]>([]);
  const [message, setMessage] = useState('');
  const send = useMutation({ mutationFn: () => casesApi.send({ companyCvr: cvr, contactId, caseIds, ...(message.trim() ? { message: message.trim() } : {}) }) });
  const errors = fieldErrorsOf(send.error);
  if (!abilities) return <Loading />;

  const find = (e: FormEvent) => {
    e.preventDefault();
    setParams(cvrInput ? { cvr: cvrInput.trim() } : {});
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate();
  };
  const titles = new Map((library.data?.items ?? []).map((c) => [c.id, c.title]));
  return (
    <>
      <p className="kp-back"><Link to="/gode-historier" className="back-link">{t('cases.edit.back')}</Link></p>
      <h1>{t('cases.send.title')}</h1>
      <p>{t('cases.send.intro')}</p>
      <form onSubmit={find} noValidate>
        <Field id="send-cvr" label={t('cases.send.cvr')}>
          {(describedBy) => <input id="send-cvr" className="form-input input-char-8" inputMode="numeric" maxLength={8} value={cvrInput} onChange={(e) => setCvrInput(e.target.value)} aria-describedby={describedBy} />}
        </Field>
        <button type="submit" className="button button-secondary">{t('cases.send.findContacts')}</button>
      </form>
      {cvr && contacts.isPending && <Loading />}
      <ErrorAlert error={contacts.error} />
      {send.isSuccess && <SuccessAlert focusKey={1}>{send.data.queued ? t('cases.send.sent', { to: send.data.to }) : t('cases.send.already', { to: send.data.to })}</SuccessAlert>}
      {send.error && Object.keys(errors).length === 0 && <ErrorAlert error={send.error} />}
      {cvr && contacts.data && (withEmail.length === 0 ? (
        <p>{t('cases.send.noContacts')}</p>
      ) : (
        <form onSubmit={submit} noValidate className="mt-7">
          <Field id="send-contact" label={t('cases.send.contact')} error={errors.contactId}>
            {(describedBy) => (
              <select id="send-contact" className="form-select" value={contactId} onChange={(e) => setContactId(e.target.value)} aria-describedby={describedBy}>
                <option value="" />
                {withEmail.map((c) => (
                  <option key={c.id} value={c.id}>{`${c.name} <${c.email}>`}</option>
                ))}
              </select>
            )}
          </Field>
          <Fieldset id="send-cases" legend={t('cases.send.cases')} error={errors.caseIds}>
            <CheckboxList idPrefix="send-case" className="" options={(library.data?.items ?? []).map((c) => c.id)} label={(id) => titles.get(id) ?? id} chosen={caseIds} onChange={setCaseIds} />
          </Fieldset>
          <Field id="send-message" label={t('cases.send.message')} error={errors.message}>
            {(describedBy) => <textarea id="send-message" className="form-input" rows={4} maxLength={2000} value={message} onChange={(e) => setMessage(e.target.value)} aria-describedby={describedBy} />}
          </Field>
          <button type="submit" className="button button-primary" disabled={!contactId || caseIds.length === 0 || send.isPending || !abilities.create.sendCases}>{t('cases.send.submit')}</button>
        </form>
      ))}
    </>
  );
}
