import { describe, expect, it } from 'vitest';
import { da, en, type MessageKey } from '../../web/src/messages.ts';
import { publicDa, publicEn } from '../../web/src/messages.public.ts';
import { translate } from '../../web/src/shared/i18n.tsx';
// What the back office's layout registers when it loads.
import '../../web/src/messages.back-office.ts';

/**
 * Issue 17: the web app's strings reach the browser in two parts, the public pages' (entry bundle)
 * and the back office's (with its layout). A module's dictionary added to messages.ts but to neither
 * part would type-check and still show raw keys.
 */
describe('the web dictionaries, split per bundle', () => {
  it('has every key of messages.ts in the public or the back-office part, in both languages', () => {
    for (const key of Object.keys(da) as MessageKey[]) {
      expect(translate('da', key), key).toBe(da[key]);
      expect(translate('en', key), key).toBe(en[key]);
    }
  });

  it('keeps the back-office strings out of the public part', () => {
    const backOnly = (Object.keys(da) as MessageKey[]).filter((k) => !(k in publicDa));
    expect(backOnly.length).toBeGreaterThan(100);
    for (const key of backOnly) expect(publicEn[key], key).toBeUndefined();
    expect(backOnly).toContain('search.title');
  });
});
