/**
 * The public's contacts as the applicant sees them, against contacts written as free text: an
 * e-mail address or a phone number alone is masked as one; anything else wholly, since its first
 * and last characters may be the person's name.
 */
import { describe, expect, it } from 'vitest';
import { maskContact } from '../../../../shared/domain/audit-mask.ts';

describe('maskContact against free text', () => {
  it('masks an e-mail address or a phone number alone as before', () => {
    expect(maskContact('liuwei@x.cn')).toBe('l*****@x.cn');
    expect(maskContact('13800001234')).toBe('138****1234');
    expect(maskContact('0731-23456789')).toBe('073******6789');
    expect(maskContact('+86 138 0000 1234')).toBe('+86**********1234');
  });

  it('never shows a name written before or after a number or an address', () => {
    for (const contact of [
      '赵铁柱 13873300000',
      '13873300000 赵铁柱',
      'zhao@example.com 赵铁柱',
      'zhao@example.com,赵铁柱',
      '赵铁柱：zhao@example.com',
      '微信号 zhaotiezhu1975',
    ]) {
      const masked = maskContact(contact);
      expect(masked, contact).not.toMatch(/赵|铁柱|zhao|1975|3300/);
      expect(masked, contact).toMatch(/^\*+$/);
    }
  });
});
