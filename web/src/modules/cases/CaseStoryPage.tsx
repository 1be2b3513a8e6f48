import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../shared/api.ts';
import { useI18n } from '../../shared/i18n.tsx';
import { ErrorAlert, Loading, usePageTitle } from '../../shared/components/Feedback.tsx';
import { libraryApi, type PublicCase } from './api.ts';
import { benefitLabel, industryLabel, jobContentLabel, sizeLabel } from './labels.ts';
import { themeLabel } from '../offers/catalogue/labels.ts';
import './cases.css';

/** A public case; null for an id that names none, or a case that is not (or no longer) public. */
function usePublicCase(id: string) {
  return useQuery<PublicCase | null>({
    queryKey: ['public-case', id],
    enabled: !!id,
    queryFn: async () => {
      try {
        return await libraryApi.get(id);
      } catch (e) {
        if (e instanceof ApiError && (e.status === 400 || e.status === 404)) return null;
        throw e;
      }
    },
  });
}

function BackLink() {
  const { t } = useI18n();
  return (
    <p className="kp-back">
      <Link to="/historier" className="back-link">{t('cases.library.back')}</Link>
    </p>
  );
}

/** The public page of one case story: /historier/:id (shareable). */
export function CaseStoryPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const story = usePublicCase(id);
  usePageTitle(story.data ? story.data.title : story.data === null ? t('cases.library.notFoundTitle') : t('cases.library.title'));
  if (story.isPending) return <Loading />;
  if (story.isError) return <ErrorAlert error={story.error} />;
  if (!story.data) {
    return (
      <div className="kp-case">
        <BackLink />
        <h1>{t('cases.library.notFoundTitle')}</h1>
        <div className="alert alert-info my-5">
          <div className="alert-body">
            <p className="alert-text">{t('cases.library.notFoundText')}</p>
          </div>
        </div>
      </div>
    );
  }
  return <StoryView story={story.data} />;
}

function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/\r?\n\s*\r?\n/)
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p, i) => (
          <p key={i} className="kp-pre">{p}</p>
        ))}
    </>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** Only https links are ever shown (the server accepts no other; this guards an older record). */
function safeHttps(link: string | null): string | null {
  if (!link) return null;
  try {
    const u = new URL(link);
    return u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

function StoryView({ story: s }: { story: PublicCase }) {
  const { t, d } = useI18n();
  const video = safeHttps(s.videoUrl);
  const list = (items: string[], label: (k: string) => string) => (items.length ? items.map(label).join(', ') : '–');
  return (
    <article className="kp-case">
      <BackLink />
      <h1>{s.title}</h1>
      <p className="kp-case-by">{t('cases.by', { names: s.organisations.map((o) => o.name).join(', ') })}{s.publishedAt ? ` · ${d(s.publishedAt)}` : ''}</p>
      {s.summary && <p className="font-lead">{s.summary}</p>}

      {s.images.length > 0 && (
        <ul className="kp-case-images unstyled-list" aria-label={t('cases.images')}>
          {s.images.map((i) => (
            <li key={i.id}>
              <img src={libraryApi.imageUrl(s.id, i.id)} alt={i.alt} loading="lazy" />
            </li>
          ))}
        </ul>
      )}

      <section aria-labelledby="case-story">
        <h2 id="case-story">{t('cases.story')}</h2>
        <Paragraphs text={s.story} />
      </section>
      {s.whatWasDone && (
        <section aria-labelledby="case-done">
          <h2 id="case-done">{t('cases.whatWasDone')}</h2>
          <Paragraphs text={s.whatWasDone} />
        </section>
      )}
      {s.benefit && (
        <section aria-labelledby="case-benefit">
          <h2 id="case-benefit">{t('cases.benefit')}</h2>
          <Paragraphs text={s.benefit} />
        </section>
      )}

      <section aria-labelledby="case-facts">
        <h2 id="case-facts">{t('cases.facts')}</h2>
        <dl className="kp-dl">
          <Row label={t('cases.company')}>{s.company.name || s.company.cvr}</Row>
          <Row label={t('cases.field.industry')}>{list(s.industries, (k) => industryLabel(t, k))}</Row>
          <Row label={t('cases.field.geography')}>{s.municipalities.length ? s.municipalities.map((m) => m.name).join(', ') : '–'}</Row>
          <Row label={t('cases.field.jobContent')}>{list(s.jobContents, (k) => jobContentLabel(t, k))}</Row>
          <Row label={t('cases.field.companySize')}>{s.companySize ? sizeLabel(t, s.companySize) : '–'}</Row>
          <Row label={t('cases.field.benefits')}>{list(s.benefits, (k) => benefitLabel(t, k))}</Row>
          {s.themes.length > 0 && <Row label={t('cases.field.themes')}>{list(s.themes, (k) => themeLabel(t, k))}</Row>}
          {s.offers.length > 0 && (
            <Row label={t('cases.field.offers')}>
              <ul className="nobullet-list" style={{ margin: 0 }}>
                {s.offers.map((o) => (
                  <li key={o.id}>
                    <Link to={`/tilbud/${encodeURIComponent(o.id)}`}>{o.title}</Link>
                  </li>
                ))}
              </ul>
            </Row>
          )}
          {video && (
            <Row label={t('cases.field.video')}>
              <a href={video} target="_blank" rel="noopener noreferrer">
                {t('cases.field.videoLink')} <span className="sr-only">{t('cases.field.newWindow')}</span>
              </a>
            </Row>
          )}
        </dl>
      </section>
    </article>
  );
}
