import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../../services/api-error';
import { fieldIssues, wholeOrNull, wholeOrText } from './forms';

describe('validation errors from the API body', () => {
  it('keys each issue by its field path, the first message per field', () => {
    const e = new ApiError(400, 'VALIDATION_FAILED', 'invalid', {
      issues: [
        { in: 'body', path: ['title'], message: 'Too small' },
        { in: 'body', path: ['validity', 'days'], message: 'Expected number' },
        { in: 'body', path: ['title'], message: 'second' },
        { in: 'body', path: [], message: 'nothing to change' },
      ],
    });
    expect(fieldIssues(e)).toEqual({ title: 'Too small', 'validity.days': 'Expected number', _: 'nothing to change' });
  });

  it('other errors, or a body without issues, give none', () => {
    expect(fieldIssues(new ApiError(409, 'TEMPLATE_CODE_TAKEN', 'taken'))).toEqual({});
    expect(fieldIssues(new ApiError(400, 'VALIDATION_FAILED', 'invalid'))).toEqual({});
    expect(fieldIssues(new Error('x'))).toEqual({});
  });
});

describe('typed numbers', () => {
  it('whole numbers become numbers; empty is left out or null; anything else stays text for the API to refuse', () => {
    expect(wholeOrText(' 120 ')).toBe(120);
    expect(wholeOrText('-5')).toBe(-5);
    expect(wholeOrText('')).toBeUndefined();
    expect(wholeOrText('1.5')).toBe('1.5');
    expect(wholeOrText('abc')).toBe('abc');
    expect(wholeOrNull('  ')).toBeNull();
    expect(wholeOrNull('3')).toBe(3);
  });
});
