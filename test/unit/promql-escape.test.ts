import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeRegex, PromqlEscapeError, promqlString } from '../../src/enrichment/promql-escape.js';
import { QueryTemplateError, renderQuery } from '../../src/enrichment/render-query.js';

describe('promqlString', () => {
  it('escapes quotes, backslashes and control characters like JSON', () => {
    assert.equal(promqlString('a"b'), '"a\\"b"');
    assert.equal(promqlString('back\\slash'), '"back\\\\slash"');
    assert.equal(promqlString('line\nbreak\ttab\u0000'), '"line\\nbreak\\ttab\\u0000"');
    assert.equal(promqlString('del\u007f\u2028'), '"del\\u007f\\u2028"');
  });
  it('keeps unicode, including astral characters, as is', () => {
    assert.equal(promqlString('ünïcødé ✓ 🚀'), '"ünïcødé ✓ 🚀"');
  });
  it('rejects lone surrogates', () => {
    assert.throws(() => promqlString('a\uD800b'), PromqlEscapeError);
    assert.throws(() => promqlString('\uDC00'), PromqlEscapeError);
  });
  it('escapes RE2 metacharacters for regex matchers', () => {
    assert.equal(escapeRegex('a.b|c(d)*'), 'a\\.b\\|c\\(d\\)\\*');
  });
});

describe('renderQuery', () => {
  const hostile = '"} or vector(1) or up{a="';
  it('fills a quoted placeholder with the escaped value', () => {
    assert.equal(
      renderQuery('up{job="{{ job }}"}', { job: hostile }),
      `up{job="\\"} or vector(1) or up{a=\\""}`,
    );
  });
  it('makes a bare placeholder a whole literal', () => {
    assert.equal(renderQuery('up{job={{job}}}', { job: 'a"b' }), 'up{job="a\\"b"}');
  });
  it('escapes for single-quoted strings', () => {
    assert.equal(renderQuery("up{job='{{ job }}'}", { job: `it's "x"` }), "up{job='it\\'s \"x\"'}");
  });
  it('escapes regex metacharacters after =~ and !~', () => {
    assert.equal(renderQuery('up{job=~"{{ job }}"}', { job: 'a.b' }), 'up{job=~"a\\\\.b"}');
    assert.equal(renderQuery('up{job!~ "{{ job }}"}', { job: 'a+' }), 'up{job!~ "a\\\\+"}');
    assert.equal(renderQuery('up{job="{{ job }}"}', { job: 'a.b' }), 'up{job="a.b"}');
  });
  it('leaves escapes already in the template alone', () => {
    assert.equal(renderQuery('x{a="q\\"{{ v }}"}', { v: 'z' }), 'x{a="q\\"z"}');
  });
  it('returns undefined when the alert lacks the label (the query is skipped)', () => {
    assert.equal(renderQuery('up{job="{{ job }}"}', { service: 'x' }), undefined);
  });
  it('never interpolates label names', () => {
    assert.throws(() => renderQuery('up{job="{{ a-b }}"}', { 'a-b': 'x' }), QueryTemplateError);
    assert.throws(() => renderQuery('up{job="{{ job }}', { job: 'x' }), QueryTemplateError);
    assert.throws(() => renderQuery('up{job=`{{ job }}`}', { job: 'x' }), QueryTemplateError);
    // Inserted where a label name would go, the value is still a string literal: a parse error, not injection.
    assert.equal(renderQuery('up{ {{ name }}="x" }', { name: 'job' }), 'up{ "job"="x" }');
  });
  it('rejects a lone surrogate in a value', () => {
    assert.throws(() => renderQuery('up{job="{{ job }}"}', { job: '\uD83D' }), PromqlEscapeError);
  });
});
