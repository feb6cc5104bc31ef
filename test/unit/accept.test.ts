import { describe, expect, it } from 'vitest';
import { prefersHtml } from '../../functions/http/accept.ts';

describe('prefersHtml: the signer’s page only for a client that prefers HTML to JSON', () => {
  it.each([
    'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
    'text/html',
    'TEXT/HTML; charset=utf-8',
    'text/*',
    'application/json;q=0.5, text/html',
    'text/html;q=0.9, application/json;q=0.8',
  ])('%s: the page', (accept) => expect(prefersHtml(accept)).toBe(true));

  it.each([
    undefined,
    '',
    '*/*',
    'application/json',
    'application/json, text/html',
    'text/html;q=0.5, application/json',
    'text/html;q=0',
    'text/html;q=0.8, */*;q=0.8',
    'image/png',
    'garbage',
    'text/html;q=abc',
  ])('%s: JSON', (accept) => expect(prefersHtml(accept)).toBe(false));
});
