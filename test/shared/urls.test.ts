// Web addresses in running notes, as the page, the server and the exports read them.
import { describe, expect, test } from 'vitest';
import { textAndUrls, urlAtEnd, urlsIn, wholeUrl } from '../../shared/notes/urls';

const addresses = (text: string): string[] => urlsIn(text).map((url) => text.slice(url.start, url.end));

describe('addresses in a line of notes', () => {
  test('http, https and www addresses, the last opened over https', () => {
    expect(urlsIn('slides: https://indico.example.org/event/42 and www.example.org/agenda')).toEqual([
      { start: 8, end: 43, href: 'https://indico.example.org/event/42' },
      { start: 48, end: 70, href: 'https://www.example.org/agenda' },
    ]);
    expect(addresses('local http://localhost:3000/m/1?token=a-b_c')).toEqual(['http://localhost:3000/m/1?token=a-b_c']);
    expect(addresses('Über https://example.org/über/straße')).toEqual(['https://example.org/über/straße']);
  });

  test('the punctuation of the sentence around an address is not part of it', () => {
    expect(addresses('see https://example.org.')).toEqual(['https://example.org']);
    expect(addresses('(see https://example.org), then')).toEqual(['https://example.org']);
    expect(addresses('"https://example.org/a?b=c"')).toEqual(['https://example.org/a?b=c']);
    expect(addresses('is it https://example.org/faq?')).toEqual(['https://example.org/faq']);
    expect(addresses('[the plan](https://example.org/plan)')).toEqual(['https://example.org/plan']);
    expect(addresses('<https://example.org/x>')).toEqual(['https://example.org/x']);
  });

  test('a bracket the address opened is its own', () => {
    expect(addresses('https://en.wikipedia.org/wiki/Set_(mathematics)')).toEqual(['https://en.wikipedia.org/wiki/Set_(mathematics)']);
    expect(addresses('(https://en.wikipedia.org/wiki/Set_(mathematics))')).toEqual(['https://en.wikipedia.org/wiki/Set_(mathematics)']);
  });

  test('not in the middle of a word or another address, and not without a name', () => {
    expect(addresses('xhttps://example.org')).toEqual([]);
    expect(addresses('mirror/www.example.org')).toEqual([]);
    // (an e-mail address's domain is no web address: the whole is an e-mail address)
    expect(urlsIn('ops@www.example.org')).toEqual([{ start: 0, end: 19, href: 'mailto:ops@www.example.org' }]);
    expect(addresses('https:// and http://')).toEqual([]);
    expect(addresses('www. www.example wwwexample.org')).toEqual([]);
    expect(addresses('DM-12345, RHL: budget by 15 Jan 2021')).toEqual([]);
  });

  test('e-mail addresses, opened with mailto:, without the sentence around them', () => {
    expect(urlsIn('send it to ops@lsst.org.')).toEqual([{ start: 11, end: 23, href: 'mailto:ops@lsst.org' }]);
    expect(addresses('x.y+tag@sub.example.co.uk, then Željko.Ivezić@example.org')).toEqual(['x.y+tag@sub.example.co.uk', 'Željko.Ivezić@example.org']);
    expect(urlAtEnd('mail ktl@example.org')?.href).toBe('mailto:ktl@example.org');
    expect(wholeUrl('ktl@example.org')?.href).toBe('mailto:ktl@example.org');
    // Mentions, a time after an @ and an address without a domain are none.
    expect(addresses('@ktl review at budget@ 5pm, first.last@example, a@b')).toEqual([]);
    // A web address with a user in it stays a web address.
    expect(urlsIn('https://user@host.org/x')).toEqual([{ start: 0, end: 23, href: 'https://user@host.org/x' }]);
  });

  test('a text is cut into runs that join back into it', () => {
    const text = 'a https://example.org/x, b www.example.org c';
    const runs = textAndUrls(text);
    expect(runs.map((run) => run.text).join('')).toBe(text);
    expect(runs.filter((run) => run.href).map((run) => run.href)).toEqual(['https://example.org/x', 'https://www.example.org']);
    expect(textAndUrls('')).toEqual([{ text: '' }]);
  });

  test('the address a line ends with, as the space or Enter after it is typed', () => {
    expect(urlAtEnd('see https://example.org/x')?.href).toBe('https://example.org/x');
    expect(urlAtEnd('(see https://example.org/x).')?.href).toBe('https://example.org/x');
    expect(urlAtEnd('see https://example.org/x and')).toBeNull();
    expect(urlAtEnd('see https://example.org/x ')).toBeNull();
    expect(urlAtEnd('https://')).toBeNull();
  });

  test('a whole text is an address, or not', () => {
    expect(wholeUrl('https://example.org/deck.pdf')?.href).toBe('https://example.org/deck.pdf');
    expect(wholeUrl('www.example.org')?.href).toBe('https://www.example.org');
    expect(wholeUrl('https://example.org/ deck')).toBeNull();
    expect(wholeUrl('example')).toBeNull();
  });
});
