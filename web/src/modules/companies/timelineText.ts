/**
 * The company timeline's wording: the server sends each item as data (kind, level, status codes,
 * names), and this words it in the reader's language. Pure, so a test can hold every kind and code
 * against both dictionaries.
 */
import type { MessageKey, TParams } from '../../shared/i18n.tsx';
import type { TimelineItem } from '#server/modules/timeline/schemas.ts';
import { levelLabel } from '../offers/self-assessment/labels.ts';

type T = (key: MessageKey, params?: TParams) => string;

export interface TimelineRow {
  /** The kind of item ("Forløb", "Henvendelse", …). */
  kind: string;
  /** Who: the organisation, or the company itself. */
  organisation: string;
  title: string;
  /** Where the title links to, if anywhere the reader may go. */
  href: string | null;
  detail: string | null;
}

const kindKeys: Record<TimelineItem['kind'], MessageKey> = {
  engagement: 'kind.engagement',
  activity: 'kind.activity',
  referral: 'kind.referral',
  request: 'kind.request',
  selfAssessment: 'kind.selfAssessment',
  consent: 'kind.consent',
  surveyAnswer: 'kind.surveyAnswer',
};

const engagementLevelKeys: Record<Extract<TimelineItem, { kind: 'engagement' }>['level'], MessageKey> = {
  basic: 'timeline.engagement.basic',
  specialised: 'timeline.engagement.specialised',
};

const referralStatusKeys: Record<Extract<TimelineItem, { kind: 'referral' }>['status'], MessageKey> = {
  sent: 'referralStatus.sent',
  received: 'referralStatus.received',
  accepted: 'referralStatus.accepted',
  declined: 'referralStatus.declined',
  completed: 'referralStatus.completed',
};

const requestStatusKeys: Record<Extract<TimelineItem, { kind: 'request' }>['status'], MessageKey> = {
  new: 'leads.status.new',
  in_progress: 'leads.status.in_progress',
  closed: 'leads.status.closed',
};

const questionnaireKeys: Record<Extract<TimelineItem, { kind: 'selfAssessment' }>['questionnaire'], MessageKey> = {
  digital: 'timeline.questionnaire.digital',
  export: 'timeline.questionnaire.export',
  green: 'timeline.questionnaire.green',
};

type Consent = Extract<TimelineItem, { kind: 'consent' }>;
const purposeKeys: Record<Consent['purpose'], MessageKey> = { sharing: 'purpose.sharing', evaluation: 'purpose.evaluation', publication: 'purpose.publication', introduction: 'purpose.introduction' };
const channelKeys: Record<Consent['channel'], MessageKey> = {
  meeting: 'channel.meeting',
  phone: 'channel.phone',
  email: 'channel.email',
  web: 'channel.web',
  letter: 'channel.letter',
};
const activityTypeKeys: Record<Extract<TimelineItem, { kind: 'activity' }>['activityType'], MessageKey> = {
  meeting: 'activityType.meeting',
  call: 'activityType.call',
  mail: 'activityType.mail',
  event: 'activityType.event',
  note: 'activityType.note',
};

/** The link to a request (henvendelse) of the timeline. */
export const requestHref = (id: string) => `/henvendelser/${encodeURIComponent(id)}`;
const engagementHref = (id: string | null) => (id ? `/forloeb/${encodeURIComponent(id)}` : null);

function titled(item: TimelineItem, t: T): Pick<TimelineRow, 'title' | 'href' | 'detail'> {
  switch (item.kind) {
    case 'engagement': {
      const level = t(engagementLevelKeys[item.level]);
      const title = item.deliveryCategory ? t('timeline.engagementInCategory', { category: item.deliveryCategory, level }) : level;
      return { title: item.closed ? t('timeline.closed', { title }) : title, href: engagementHref(item.engagementId), detail: item.description };
    }
    case 'activity':
      return { title: t('timeline.activityTitle', { type: t(activityTypeKeys[item.activityType]), subject: item.subject }), href: engagementHref(item.engagementId), detail: item.notes };
    case 'referral':
      return { title: t('timeline.referralTitle', { org: item.to.name }), href: engagementHref(item.engagementId), detail: t('timeline.status', { status: t(referralStatusKeys[item.status]) }) };
    case 'request':
      return { title: t('timeline.requestTitle', { status: t(requestStatusKeys[item.status]) }), href: requestHref(item.id), detail: item.need };
    case 'selfAssessment':
      return {
        title: t('timeline.selfAssessmentTitle', { title: t(questionnaireKeys[item.questionnaire]) }),
        href: requestHref(item.requestId),
        detail: t('timeline.selfAssessmentResult', { level: levelLabel(t, item.level), score: item.score, max: item.maxScore }),
      };
    case 'consent': {
      const purpose = t(purposeKeys[item.purpose]);
      const channel = t(channelKeys[item.channel]);
      return {
        title: item.event === 'withdrawn' ? t('timeline.consentWithdrawn', { purpose }) : t('timeline.consentGiven', { purpose }),
        href: null,
        detail: item.event === 'given' && item.awaitingConfirmation ? t('timeline.consentAwaiting', { channel }) : t('timeline.consentChannel', { channel }),
      };
    }
    case 'surveyAnswer':
      return { title: t('timeline.surveyAnswerTitle', { title: item.title }), href: `/undersoegelser/${encodeURIComponent(item.surveyId)}`, detail: null };
  }
}

/** One timeline item in words. */
export function timelineRow(item: TimelineItem, t: T): TimelineRow {
  return { kind: t(kindKeys[item.kind]), organisation: item.organisation?.name ?? t('timeline.theCompany'), ...titled(item, t) };
}

/** A key for React lists: a consent appears twice (given, withdrawn). */
export const timelineKey = (item: TimelineItem) => `${item.kind}-${item.id}${item.kind === 'consent' ? `-${item.event}` : ''}`;
