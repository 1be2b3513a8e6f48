import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n.tsx';
import { ErrorAlert, Field, fieldErrorsOf, Loading, SuccessAlert } from '../../shared/components/Feedback.tsx';
import { isForbiddenOrHidden, ScrollRegion } from '../../shared/components/ui.tsx';
import { AggregateOnlyNote } from '../../shared/components/AggregateOnlyNote.tsx';
import { contactsApi, useCompanyContacts, type Contact } from './api.ts';

/** The company's contact persons the user may see, and — where the server allows it — a form to add one. */
export function ContactsPanel({ cvr, canAdd }: { cvr: string; canAdd: boolean }) {
  const { t } = useI18n();
  const contacts = useCompanyContacts(cvr);
  if (contacts.isPending) return <Loading />;
  if (isForbiddenOrHidden(contacts.error)) return <AggregateOnlyNote />;
  return (
    <>
      <h3>{t('tabs.contacts')}</h3>
      <ErrorAlert error={contacts.error} />
      {contacts.data && <ContactTable items={contacts.data.items} />}
      {canAdd && <AddContact cvr={cvr} />}
    </>
  );
}

function ContactTable({ items }: { items: Contact[] }) {
  const { t } = useI18n();
  const none = t('common.none');
  if (items.length === 0) return <p>{t('contacts.empty')}</p>;
  return (
    <ScrollRegion>
      <table className="table table--zebra kp-contacts">
        <caption className="sr-only">{t('contacts.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('contacts.name')}</th>
            <th scope="col">{t('contacts.jobTitle')}</th>
            <th scope="col">{t('contacts.email')}</th>
            <th scope="col">{t('contacts.phone')}</th>
            <th scope="col">{t('contacts.organisation')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id}>
              <td>{c.erased ? <span className="badge kp-badge">{t('contacts.erased')}</span> : c.name}</td>
              <td>{c.title || none}</td>
              <td>{c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : none}</td>
              <td>{c.phone ? <a href={`tel:${c.phone.replace(/\s+/g, '')}`}>{c.phone}</a> : none}</td>
              <td>{c.organisation.name}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function AddContact({ cvr }: { cvr: string }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [title, setTitle] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const create = useMutation({
    mutationFn: () =>
      contactsApi.create(cvr, {
        name: name.trim(),
        title: title.trim() || undefined,
        email: email.trim() || undefined,
        phone: phone.trim() || undefined,
      }),
    onSuccess: () => {
      setName('');
      setTitle('');
      setEmail('');
      setPhone('');
      void qc.invalidateQueries({ queryKey: ['company', cvr] });
    },
  });
  const fe = fieldErrorsOf(create.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section aria-labelledby="contact-add" className="mt-7">
      <h4 id="contact-add">{t('contacts.add')}</h4>
      {create.isSuccess && <SuccessAlert>{t('contacts.added')}</SuccessAlert>}
      <ErrorAlert error={create.error} />
      <form onSubmit={onSubmit} noValidate>
        <Field id="contact-name" label={t('contacts.name')} error={fe.name}>
          {(db) => (
            <input id="contact-name" className="form-input" required aria-required="true" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} aria-describedby={db} aria-invalid={fe.name ? true : undefined} />
          )}
        </Field>
        <Field id="contact-title" label={`${t('contacts.jobTitle')} (${t('common.optional')})`} error={fe.title}>
          {(db) => (
            <input id="contact-title" className="form-input" autoComplete="off" value={title} onChange={(e) => setTitle(e.target.value)} aria-describedby={db} aria-invalid={fe.title ? true : undefined} />
          )}
        </Field>
        <Field id="contact-email" label={`${t('contacts.email')} (${t('common.optional')})`} error={fe.email}>
          {(db) => (
            <input id="contact-email" type="email" className="form-input" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} aria-describedby={db} aria-invalid={fe.email ? true : undefined} />
          )}
        </Field>
        <Field id="contact-phone" label={`${t('contacts.phone')} (${t('common.optional')})`} error={fe.phone}>
          {(db) => (
            <input id="contact-phone" type="tel" className="form-input input-width-m" autoComplete="off" value={phone} onChange={(e) => setPhone(e.target.value)} aria-describedby={db} aria-invalid={fe.phone ? true : undefined} />
          )}
        </Field>
        <button type="submit" className="button button-primary mt-5" disabled={create.isPending}>
          {t('contacts.add')}
        </button>
      </form>
    </section>
  );
}
