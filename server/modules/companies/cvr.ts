const CVR_WEIGHTS = [2, 7, 6, 5, 4, 3, 2, 1];

/** CVR numbers are 8 digits whose weighted sum (2 7 6 5 4 3 2 1) is divisible by 11. */
export function isValidCvr(value: string): boolean {
  if (!/^\d{8}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(value[i]) * CVR_WEIGHTS[i]!;
  return sum % 11 === 0;
}

export function isValidPNumber(value: string): boolean {
  return /^\d{10}$/.test(value);
}

/** Appends the check digit that makes a 7-digit stem a valid CVR, or null when none exists (remainder 10). */
export function completeCvr(stem: string): string | null {
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += Number(stem[i]) * CVR_WEIGHTS[i]!;
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? null : stem + String(check);
}
