/** The organisations of a select (a referral's receiver, a consent's organisations), grouped by type. */
import type { OrganisationType } from '#server/modules/organisations/schemas.ts';
import { useI18n } from '../../shared/i18n.tsx';
import type { Organisation } from './api.ts';

/**
 * Where each type's group stands in the list: presentation only (who may be chosen is the server's
 * answer). Keyed by the server's type, so a new organisation type fails the type check until placed.
 */
const groupPosition: Record<OrganisationType, number> = {
  business_hub: 0,
  local_business_service: 1,
  national_authority: 2,
  kkr: 3,
  operator: 4,
  jobcentre: 5,
  unemployment_fund: 6,
  education_institution: 7,
  cluster: 8,
};

/** <option>s for organisations, grouped by type (erhvervshuse, lokale erhvervsservicer, …): the groups are the types in the list. */
export function OrganisationOptions({ organisations, exclude }: { organisations: Organisation[]; exclude?: string }) {
  const { t } = useI18n();
  const types = [...new Set(organisations.map((o) => o.type))].sort((a, b) => groupPosition[a] - groupPosition[b]);
  return (
    <>
      {types.map((type) => (
        <optgroup key={type} label={t(`orgType.${type}`)}>
          {organisations
            .filter((o) => o.type === type && o.id !== exclude)
            .map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
        </optgroup>
      ))}
    </>
  );
}
