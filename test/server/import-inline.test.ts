// Inline Markdown read into the runs the notes hold (server/import/inline.ts), and HTML's inline
// elements into the same runs (server/import/lines.ts): what an import writes as formatting.
import { describe, expect, test } from 'vitest';
import { markdownInlines, plainText } from '../../server/import/inline.js';
import { readLines } from '../../server/import/lines.js';

describe('inline Markdown', () => {
  test('bold, italics, both, strikethrough, code and links with their labels', () => {
    expect(markdownInlines('**RHL:** how does *validation* map to ~~phase 2~~ phase 3? See [the plan](<https://example.org/plan>), run `butler ingest`, ***both***')).toEqual([
      { text: 'RHL:', bold: true },
      { text: ' how does ' },
      { text: 'validation', italic: true },
      { text: ' map to ' },
      { text: 'phase 2', strikethrough: true },
      { text: ' phase 3? See ' },
      { text: 'the plan', href: 'https://example.org/plan' },
      { text: ', run ' },
      { text: 'butler ingest', code: true },
      { text: ', ' },
      { text: 'both', bold: true, italic: true },
    ]);
    expect(markdownInlines('*a **b** c* and [**bold** label](https://a.org)')).toEqual([
      { text: 'a ', italic: true },
      { text: 'b', italic: true, bold: true },
      { text: ' c', italic: true },
      { text: ' and ' },
      { text: 'bold', href: 'https://a.org', bold: true },
      { text: ' label', href: 'https://a.org' },
    ]);
  });

  test('what is not formatting stays text: escapes, lone stars, words with underscores, an unclosed mark, code holding marks', () => {
    expect(markdownInlines('\\*not\\* 2 * 3 * 4, snake_case_name, unclosed **bold, `a*b*c`')).toEqual([
      { text: '*not* 2 * 3 * 4, snake_case_name, unclosed **bold, ' },
      { text: 'a*b*c', code: true },
    ]);
    // A mark that opens before a space, or `_` inside a word, opens nothing.
    expect(markdownInlines('a * b* and file_name then _this_')).toEqual([{ text: 'a * b* and file_name then ' }, { text: 'this', italic: true }]);
  });

  // Each mark looks ahead for its closer: unbounded, a line of unclosed marks as long as an import
  // may be would be read in quadratic time, hours, with the server's thread held. Past a budget
  // linear in its length such a line is read as its text.
  test('a line of unclosed marks as long as an import may be is read as its text, escapes and all', () => {
    for (const mark of ['*a ', '_a ', '~~a ', '[a ', '![a ']) {
      const line = mark.repeat(Math.floor(1_400_000 / mark.length)) + '\\*';
      expect(markdownInlines(line).map((run) => run.text).join('')).toBe(line.slice(0, -2) + '*');
    }
  });

  test('read as plain text, a link keeps its address after its label', () => {
    expect(plainText(markdownInlines('slides: [deck](https://example.org/d) or <https://example.org/d>'))).toBe('slides: deck https://example.org/d or https://example.org/d');
    // An e-mail autolink is its address, opened with mailto:.
    expect(markdownInlines('mail <ops@lsst.org>')).toEqual([{ text: 'mail ' }, { text: 'ops@lsst.org', href: 'mailto:ops@lsst.org' }]);
    expect(plainText(markdownInlines('mail <ops@lsst.org>'))).toBe('mail ops@lsst.org');
    // A label that holds its address does not get it twice.
    expect(plainText(markdownInlines('[see https://example.org/d](https://example.org/d)'))).toBe('see https://example.org/d');
  });
});

describe('inline HTML', () => {
  test('strong, em, s, code and links are runs; the text keeps a link address', () => {
    const [line] = readLines('<p><strong>RHL:</strong> the <em>plan</em> is <a href="https://example.org/p">here</a>, <code>butler</code> <s>later</s></p>', 'html');
    expect(line).toMatchObject({
      text: 'RHL: the plan is here https://example.org/p, butler later',
      inlines: [
        { text: 'RHL:', bold: true },
        { text: ' the ' },
        { text: 'plan', italic: true },
        { text: ' is ' },
        { text: 'here', href: 'https://example.org/p' },
        { text: ', ' },
        { text: 'butler', code: true },
        { text: ' ' },
        { text: 'later', strikethrough: true },
      ],
    });
    // Plain text has no runs to carry.
    expect(readLines('<p>just   text</p>', 'html')).toEqual([{ kind: 'text', level: 0, text: 'just text' }]);
  });
});
