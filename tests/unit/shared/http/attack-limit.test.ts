/**
 * The per-address budget against addresses written so as to share or dodge a counter: an IPv4
 * address written as IPv4-mapped IPv6 is that IPv4 address (not one /64 every such caller shares).
 */
import { describe, expect, it } from 'vitest';
import { countedAddress } from '../../../../shared/http/public-limit.ts';

describe('countedAddress against mapped addresses', () => {
  it('counts an IPv4-mapped IPv6 address as its IPv4 address, however it is written', () => {
    expect(countedAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(countedAddress('::FFFF:203.0.113.7')).toBe('203.0.113.7');
    expect(countedAddress('0:0:0:0:0:ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(countedAddress('::ffff:cb00:7107')).toBe('203.0.113.7');
  });

  it('keeps two mapped callers apart', () => {
    expect(countedAddress('::ffff:198.51.100.1')).not.toBe(countedAddress('::ffff:198.51.100.2'));
  });
});
