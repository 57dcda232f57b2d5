// The character helpers of the action grammar take shortcuts for ASCII and build masked text in
// slices (they run at every keystroke, in the editor and on the server). Each shortcut must agree
// with the definition it stands for, on every ASCII character and on text around it.

import { describe, expect, it } from 'vitest';
import { compact, foldChar, foldString, maskRanges, type Range } from '../../shared/actions/text';

/** What folding a string means: each character of its NFC form folded on its own (text.ts). */
function foldedByDefinition(s: string): string {
  return Array.from(s.normalize('NFC'), (ch) => {
    if (['\u2018', '\u2019', '\u02BC', '\u2032', '`', '\u00B4'].includes(ch)) return "'";
    if (['\u2010', '\u2011', '\u2012', '\u2013', '\u2212'].includes(ch)) return '-';
    return ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  }).join('');
}

function compactByDefinition(s: string): string {
  return foldedByDefinition(s).replace(/[^\p{L}\p{N}]/gu, '');
}

/** Masking by definition: every character inside a range replaced, one at a time. */
function maskedByDefinition(text: string, ranges: readonly Range[]): string {
  const chars = Array.from({ length: text.length }, (_, i) => text[i] as string);
  for (const r of ranges) for (let i = Math.max(0, r.start); i < Math.min(text.length, r.end); i++) chars[i] = '\uE000';
  return chars.join('');
}

const ASCII = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));
const SAMPLES = [
  ...ASCII,
  ASCII.join(''),
  "KTL's `quoted` Fix-IT @Robert_Lupton 2026",
  'Željko Ivezić',
  'Zeljko Ivezic',
  'Ze\u030Cljko',
  'O’Mullane Wood‐Vasey',
  'İstanbul ǅemal ß',
  '',
];

describe('the grammar’s character helpers', () => {
  it('fold every ASCII character, and mixed text, as the definition does', () => {
    for (const ch of ASCII) {
      expect(foldChar(ch, true), JSON.stringify(ch)).toBe(foldedByDefinition(ch));
      expect(foldChar(ch, false), JSON.stringify(ch)).toBe(ch === '`' ? "'" : ch);
    }
    for (const s of SAMPLES) {
      expect(foldString(s), JSON.stringify(s)).toBe(foldedByDefinition(s));
      expect(compact(s), JSON.stringify(s)).toBe(compactByDefinition(s));
    }
  });

  it('mask ranges in any order, overlapping or reaching past the text, as the definition does', () => {
    const text = 'ACTION: @ktl send DM-1234 to Robert by Friday';
    const cases: Range[][] = [
      [],
      [{ start: 0, end: 7 }],
      [{ start: 8, end: 12 }, { start: 0, end: 7 }],
      [{ start: 18, end: 25 }, { start: 20, end: 30 }, { start: 22, end: 24 }],
      [{ start: -5, end: 3 }, { start: 40, end: 99 }],
      [{ start: 10, end: 10 }, { start: 12, end: 11 }],
      [{ start: 0, end: text.length }],
    ];
    for (const ranges of cases) expect(maskRanges(text, ranges), JSON.stringify(ranges)).toBe(maskedByDefinition(text, ranges));
    for (let n = 0; n < 500; n++) {
      // Deterministic pseudo-random ranges over the text.
      const ranges = Array.from({ length: n % 5 }, (_, k) => {
        const a = (n * 31 + k * 17) % (text.length + 6) - 3;
        return { start: a, end: a + ((n * 7 + k * 13) % 12) - 2 };
      });
      expect(maskRanges(text, ranges), JSON.stringify(ranges)).toBe(maskedByDefinition(text, ranges));
    }
  });
});
