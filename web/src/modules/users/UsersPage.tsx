import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Abilities, User } from '../../shared/api.ts';
import { usersApi, type ManagedUser, type Role } from './api.ts';
import { useSession } from '../auth/session.tsx';
import { useI18n, type MessageKey } from '../../shared/i18n.tsx';
import { useOrganisations } from '../organisations/hooks.ts';
import { ErrorAlert, Field, fieldErrorsOf, InfoAlert, Loading, SuccessAlert, usePageTitle } from '../../shared/components/Feedback.tsx';
import { ScrollRegion } from '../../shared/components/ui.tsx';

const ROLES: Role[] = ['adviser', 'manager', 'admin', 'reader'];
const roleKey = (r: Role): MessageKey => `role.${r}`;

export function UsersPage() {
  const { t } = useI18n();
  usePageTitle(t('users.title'));
  const session = useSession();
  const me = session.data?.user;
  const abilities = session.data?.abilities;

  return (
    <>
      <h1>{t('users.title')}</h1>
      {!abilities?.sections.users || !me ? <InfoAlert>{t('users.noAccess')}</InfoAlert> : <UsersAdmin me={me} abilities={abilities} />}
    </>
  );
}

function UsersAdmin({ me, abilities }: { me: User; abilities: Abilities }) {
  const { t } = useI18n();
  const users = useQuery({ queryKey: ['users'], queryFn: () => usersApi.list() });
  return (
    <>
      <CreateUser me={me} anyOrganisation={abilities.anyOrganisation} />
      <section aria-labelledby="users-list" className="mt-7">
        <h2 id="users-list">{t('users.list')}</h2>
        {users.isPending && <Loading />}
        <ErrorAlert error={users.error} />
        {users.data && <UserTable items={users.data.items} me={me} />}
      </section>
    </>
  );
}

/** `anyOrganisation`: the caller may place the user in another organisation (a system admin). */
function CreateUser({ me, anyOrganisation }: { me: User; anyOrganisation: boolean }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const organisations = useOrganisations(anyOrganisation);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('adviser');
  const [earlyWarning, setEarlyWarning] = useState(false);
  const [organisationId, setOrganisationId] = useState('');
  const [password, setPassword] = useState('');

  const create = useMutation({
    mutationFn: () =>
      usersApi.create({
        email: email.trim(),
        name: name.trim(),
        role,
        earlyWarning,
        organisationId: anyOrganisation && organisationId ? organisationId : undefined,
        password,
      }),
    onSuccess: () => {
      setEmail('');
      setName('');
      setRole('adviser');
      setEarlyWarning(false);
      setPassword('');
      void qc.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const fe = fieldErrorsOf(create.error);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };

  return (
    <section aria-labelledby="users-create" className="mt-5">
      <h2 id="users-create">{t('users.create')}</h2>
      {create.isSuccess && <SuccessAlert>{t('users.created')}</SuccessAlert>}
      <ErrorAlert error={create.error} />
      <form onSubmit={onSubmit} noValidate>
        <Field id="user-email" label={t('users.email')} error={fe.email}>
          {(describedBy) => (
            <input
              id="user-email"
              type="email"
              className="form-input"
              autoComplete="off"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={fe.email ? true : undefined}
            />
          )}
        </Field>
        <Field id="user-name" label={t('users.name')} error={fe.name}>
          {(describedBy) => (
            <input
              id="user-name"
              className="form-input"
              autoComplete="off"
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={fe.name ? true : undefined}
            />
          )}
        </Field>
        <Field id="user-role" label={t('users.role')} error={fe.role}>
          {(describedBy) => (
            <select
              id="user-role"
              className="form-select"
              value={role}
              onChange={(e) => setRole(e.target.value as Role)}
              aria-describedby={describedBy}
              aria-invalid={fe.role ? true : undefined}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(roleKey(r))}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className={`form-group${fe.earlyWarning ? ' form-error' : ''}`}>
          {fe.earlyWarning && (
            <span className="form-error-message" id="user-ew-error">
              {fe.earlyWarning}
            </span>
          )}
          <div className="form-group-checkbox">
            <input
              id="user-ew"
              type="checkbox"
              className="form-checkbox"
              checked={earlyWarning}
              onChange={(e) => setEarlyWarning(e.target.checked)}
              aria-describedby={fe.earlyWarning ? 'user-ew-error' : undefined}
            />
            <label className="form-label" htmlFor="user-ew">
              {t('users.earlyWarning')}
            </label>
          </div>
        </div>
        {anyOrganisation && (
          <Field id="user-org" label={t('users.organisation')} error={fe.organisationId}>
            {(describedBy) => (
              <select
                id="user-org"
                className="form-select"
                value={organisationId}
                onChange={(e) => setOrganisationId(e.target.value)}
                aria-describedby={describedBy}
                aria-invalid={fe.organisationId ? true : undefined}
              >
                <option value="">{me.organisation.name}</option>
                {(organisations.data ?? [])
                  .filter((o) => o.id !== me.organisation.id)
                  .map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
              </select>
            )}
          </Field>
        )}
        <Field id="user-password" label={t('users.password')} hint={t('users.passwordHint')} error={fe.password}>
          {(describedBy) => (
            <input
              id="user-password"
              type="password"
              className="form-input"
              autoComplete="new-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={fe.password ? true : undefined}
            />
          )}
        </Field>
        <button type="submit" className="button button-primary mt-5" disabled={create.isPending}>
          {t('users.submit')}
        </button>
      </form>
    </section>
  );
}

function UserTable({ items, me }: { items: ManagedUser[]; me: User }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const toggle = useMutation({
    mutationFn: (u: ManagedUser) => usersApi.change(u.id, { active: !u.active }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['users'] }),
  });

  return (
    <>
      {toggle.isSuccess && <SuccessAlert>{t('users.updated')}</SuccessAlert>}
      <ErrorAlert error={toggle.error} />
      <ScrollRegion>
        <table className="table table--zebra kp-users">
          <caption className="sr-only">{t('users.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('users.name')}</th>
              <th scope="col">{t('users.email')}</th>
              <th scope="col">{t('users.role')}</th>
              <th scope="col">{t('users.organisation')}</th>
              <th scope="col">{t('users.earlyWarning')}</th>
              <th scope="col">{t('users.status')}</th>
              <th scope="col">{t('users.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{t(roleKey(u.role))}</td>
                <td>{u.organisation.name}</td>
                <td>{u.earlyWarning ? t('common.yes') : t('common.no')}</td>
                <td>{u.active ? t('users.active') : t('users.inactive')}</td>
                <td>
                  {u.id !== me.id && u.abilities.change && (
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      aria-label={t(u.active ? 'users.deactivate' : 'users.activate', { name: u.name })}
                      disabled={toggle.isPending}
                      onClick={() => toggle.mutate(u)}
                    >
                      {t(u.active ? 'users.deactivateShort' : 'users.activateShort')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}
