/**
 * A mainland mobile number as the SMS provider takes it (E.164, `+86` and 11 digits starting 1[3-9]),
 * from what a person typed: spaces, dashes and brackets allowed, with or without +86 / 0086 / 86.
 * undefined for anything else (a landline, an e-mail address, a foreign number): those are not texted.
 */
export function mobileNumber(raw: string): string | undefined {
  const digits = raw.trim().replace(/[\s\-()（）]/g, '');
  const national = /^(?:\+86|0086|86)?(1[3-9]\d{9})$/.exec(digits)?.[1];
  return national === undefined ? undefined : `+86${national}`;
}
