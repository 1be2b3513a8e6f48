import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Actor } from '../../policies/index.ts';
import type { OrganisationType } from '../organisations/schema.ts';
import { consents } from '../consents/schema.ts';
import { contacts } from '../contacts/schema.ts';
import type { Role } from '../users/schema.ts';
import { createCooperation, proposeMatch } from './service.ts';
import type { newCooperationBody } from './schemas.ts';
import type { z } from 'zod';

type Item = z.output<typeof newCooperationBody>;
const item = (fields: Partial<Item> & Pick<Item, 'kind' | 'title'>): Item => ({
  themes: [], industryCodes: [], municipalityCodes: [], regions: [], countries: [], description: '', ...fields,
});

/**
 * A few needs and offers of cooperation in the spirit of seeds 000 and 004 (companies established in
 * China host visiting Danish SMEs; a company wants a German distributor; a student project), on
 * companies of Sønderborg and Aabenraa, with the sharing consents that let the two see each other's,
 * and one proposed match, so the matchmaking page has something to show. Skipped without the demo users.
 */
export async function seedDemoMatchmaking(db: Db, now: Date): Promise<void> {
  const actorOf = async (email: string): Promise<Actor | null> => {
    const [u] = (await db.execute<{ id: string; name: string; email: string; role: Role; organisation_id: string; type: OrganisationType }>(sql`
      SELECT u.id, u.name, u.email, u.role, u.organisation_id, o.type FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.email = ${email}`)).rows;
    return u ? { userId: u.id, name: u.name, email: u.email, organisationId: u.organisation_id, organisationType: u.type, role: u.role, earlyWarning: false, systemAdmin: false } : null;
  };
  const sonderborg = await actorOf('kommune@demo.knudepunkt.dk');
  const aabenraa = await actorOf('aabenraa@demo.knudepunkt.dk');
  const hub = await actorOf('adviser@demo.knudepunkt.dk');
  if (!sonderborg || !aabenraa || !hub) return;
  // Companies far down the list by CVR, so the other demo data (and the browser tests' picks) rarely share them.
  const companiesOf = async (municipality: number) =>
    (await db.execute<{ cvr: string; name: string }>(sql`
      SELECT cvr, name FROM companies WHERE municipality_code = ${municipality} AND status = 'NORMAL' ORDER BY cvr DESC LIMIT 4`)).rows;
  const [s1, s2, s3] = await companiesOf(540);
  const [a1, a2] = await companiesOf(580);
  const [h1] = await companiesOf(541);
  if (!s1 || !s2 || !s3 || !a1 || !a2) return;

  const contact = async (actor: Actor, cvr: string, name: string, email: string) => {
    await db.insert(contacts).values({ companyCvr: cvr, organisationId: actor.organisationId, name, email, title: 'Direktør', createdBy: actor.userId });
  };
  await contact(sonderborg, s1.cvr, 'Jens Mathiesen', 'jens@example.dk');
  await contact(sonderborg, s3.cvr, 'Mei Lin Hansen', 'mei@example.dk');
  await contact(aabenraa, a1.cvr, 'Katrin Schulz', 'katrin@example.dk');
  await contact(aabenraa, a2.cvr, 'Ole Brandt', 'ole@example.dk');

  // Each company lets its own organisation share what it holds with the other municipality's business service.
  const share = async (actor: Actor, cvr: string, other: string, givenByName: string) => {
    await db.insert(consents).values({
      companyCvr: cvr, purpose: 'sharing', scope: 'named', organisationIds: [other], givenByName, givenAt: now, channel: 'meeting',
      recordedBy: actor.userId, recordedByOrganisationId: actor.organisationId,
    });
  };
  await share(sonderborg, s1.cvr, aabenraa.organisationId, 'Jens Mathiesen');
  await share(sonderborg, s3.cvr, aabenraa.organisationId, 'Mei Lin Hansen');
  await share(aabenraa, a1.cvr, sonderborg.organisationId, 'Katrin Schulz');
  await share(aabenraa, a2.cvr, sonderborg.organisationId, 'Ole Brandt');

  await createCooperation(db, sonderborg, s1.cvr, item({
    kind: 'need', title: 'Søger distributør i Tyskland', themes: ['export', 'internationalisation'], countries: ['DE'],
    description: 'Producerer landbrugsmaskiner og vil sælge til tyske kunder gennem en distributør med netværk i Nordtyskland.',
  }));
  await createCooperation(db, sonderborg, s2.cvr, item({
    kind: 'need', title: 'Vil have studerende på et studieprojekt i data science', themes: ['digitalisation', 'skills'],
    description: 'Virksomheden har data fra sin produktion og vil gerne have studerende til et studieprojekt om maskinlæring og vedligehold.',
  }));
  const china = await createCooperation(db, sonderborg, s3.cvr, item({
    kind: 'offer', title: 'Datterselskab i Kina tager imod besøgende danske SMV’er', themes: ['internationalisation', 'export'], countries: ['CN'],
    description: 'Har et datterselskab i Shanghai og vil gerne være vært for danske små og mellemstore virksomheder, der overvejer at etablere sig i Kina.',
  }));
  await createCooperation(db, aabenraa, a1.cvr, item({
    kind: 'offer', title: 'Salgskontor i Hamborg tager danske produkter med', themes: ['export'], countries: ['DE', 'AT'],
    description: 'Har eget salgskontor i Hamborg og tilbyder at tage danske maskiner og udstyr med i sit netværk af tyske forhandlere og kunder.',
  }));
  const wantsChina = await createCooperation(db, aabenraa, a2.cvr, item({
    kind: 'need', title: 'Vil etablere sig i Kina og søger en virksomhed med erfaring', themes: ['internationalisation', 'export'], countries: ['CN'],
    description: 'Overvejer at åbne et salgskontor i Kina og vil gerne besøge en dansk virksomhed, der allerede har et datterselskab i Kina.',
  }));
  if (h1) {
    await createCooperation(db, hub, h1.cvr, item({
      kind: 'need', title: 'Søger partner til grøn omstilling af produktionen', themes: ['green_transition', 'innovation'],
      description: 'Vil reducere energiforbruget i produktionen og søger en virksomhed, der har gjort det før.',
    }));
  }
  // Aabenraa's need and Sønderborg's China offer: proposed by Aabenraa, waiting for both sides.
  await proposeMatch(db, aabenraa, now, { itemId: wantsChina, counterpart: { kind: 'company', itemId: china }, note: 'Begge virksomheder har nævnt Kina på møder.' }, 'da');
}
