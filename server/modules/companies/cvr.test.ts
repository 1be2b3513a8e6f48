import { describe, expect, it } from 'vitest';
import { completeCvr, isValidCvr, isValidPNumber } from './cvr.ts';

describe('CVR modulus 11', () => {
  it('accepts real CVR numbers', () => {
    for (const cvr of ['35682872', '42611433', '34689733', '44477378', '10150817']) expect(isValidCvr(cvr), cvr).toBe(true);
  });

  it('rejects a wrong check digit', () => {
    expect(isValidCvr('35682873')).toBe(false);
    expect(isValidCvr('35682871')).toBe(false);
  });

  it('rejects anything but 8 digits', () => {
    for (const bad of ['3568287', '356828720', '3568287a', ' 35682872', '', '3568-2872']) expect(isValidCvr(bad), bad).toBe(false);
  });

  it('weights the digits 2 7 6 5 4 3 2 1', () => {
    // 1·2 + 0·7 + … + 9·1 = 11: valid only because of the weights.
    expect(isValidCvr('10000009')).toBe(true);
    expect(isValidCvr('01000009')).toBe(false);
  });

  it('completes a stem to a valid number, or says none exists', () => {
    const full = completeCvr('3568287');
    expect(full).toBe('35682872');
    for (let stem = 1000000; stem < 1000200; stem++) {
      const cvr = completeCvr(String(stem));
      if (cvr) expect(isValidCvr(cvr)).toBe(true);
    }
  });

  it('knows P-numbers are 10 digits', () => {
    expect(isValidPNumber('1019207540')).toBe(true);
    expect(isValidPNumber('101920754')).toBe(false);
  });
});
