import { describe, expect, it } from '@jest/globals';
import { ImageUrl, PatchMeBody, RegisterBody } from '../api';
import { charCount, cleanText, nicknameProblem, truncateChars } from './text';

const RLO = '\u202e';
const nick = (nickname: string) => RegisterBody.safeParse({ nickname, consentVersion: '2024-01' });

describe('nicknames', () => {
  it('removes bidirectional controls, zero-width and control characters, then trims', () => {
    expect(cleanText(`${RLO}gnp.exe`)).toBe('gnp.exe');
    for (const c of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c']) {
      expect(cleanText(`a${c}b`)).toBe('ab');
    }
    for (const c of ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u0000', '\u0007', '\u001f', '\u007f', '\u0085', '\u00ad', '\u3164']) {
      expect(cleanText(`a${c}b`)).toBe('ab');
    }
    expect(cleanText('  \u200b 小明 \ufeff ')).toBe('小明');
    // Found from outside: tag characters, the braille blank and annotation marks are invisible too.
    for (const c of ['\u{E0041}', '\u{E0042}', '\u2800', '\ufff9', '\ufffa', '\ufffb']) expect(cleanText(`a${c}b`)).toBe('ab');
    expect(cleanText('\u{E0041}\u{E0042}')).toBe('');
    expect(cleanText('\u2800')).toBe('');
  });

  it('keeps the joiner inside emoji sequences and the tags of a subdivision flag, and nowhere else', () => {
    const family = '👨\u200d👩\u200d👧';
    expect(cleanText(family.repeat(4))).toBe(family.repeat(4));
    const coder = '👩🏽\u200d💻';
    expect(cleanText(coder)).toBe(coder);
    const england = '🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}';
    expect(cleanText(`${england}队`)).toBe(`${england}队`);
    expect(cleanText('a\u200db')).toBe('ab');
    expect(cleanText('😀\u200db')).toBe('😀b');
    expect(cleanText('\u200d😀')).toBe('😀');
    expect(cleanText('😀\u200d')).toBe('😀');
    expect(cleanText('x\u{E0067}\u{E007F}')).toBe('x');
  });

  it('counts characters as code points: 20 emoji are 20 characters', () => {
    expect('😀'.length).toBe(2);
    expect(charCount('😀'.repeat(20))).toBe(20);
    expect(nicknameProblem('😀'.repeat(20))).toBeNull();
    expect(nicknameProblem('😀'.repeat(21))).toBe('too-long');
    expect(truncateChars('😀'.repeat(25), 20)).toBe('😀'.repeat(20));
    expect(truncateChars('ab😀cd', 3)).toBe('ab😀');
  });

  it('the schema stores the cleaned name and refuses an invisible or over-long one', () => {
    expect(nick(`${RLO}小明\u200b`).data?.nickname).toBe('小明');
    expect(nick('😀'.repeat(20)).data?.nickname).toBe('😀'.repeat(20));
    expect(nick('😀'.repeat(21)).success).toBe(false);
    expect(nick('字'.repeat(21)).success).toBe(false);
    // 20 characters plus invisible padding is still 20 characters.
    expect(nick(`${'字'.repeat(20)}${'\u200b'.repeat(30)}`).data?.nickname).toBe('字'.repeat(20));
    for (const invisible of ['\u200b\u200c\u200d', `${RLO}\u2066 `, '\u3164\u3164', '\ufe0f', '   ']) {
      expect(nick(invisible).success).toBe(false);
    }
    expect(nick('<b>').success).toBe(false);
    expect(PatchMeBody.safeParse({ nickname: `\u2067小红\u2069` }).data?.nickname).toBe('小红');
    expect(PatchMeBody.safeParse({ nickname: '\u200b' }).success).toBe(false);
  });
});

describe('birthdays', () => {
  const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
  it('refuses a birthday in the future or before 1900', () => {
    expect(PatchMeBody.safeParse({ birthday: day(0) }).success).toBe(true);
    expect(PatchMeBody.safeParse({ birthday: '1990-05-01' }).success).toBe(true);
    expect(PatchMeBody.safeParse({ birthday: day(2) }).success).toBe(false);
    expect(PatchMeBody.safeParse({ birthday: '2999-01-01' }).success).toBe(false);
    expect(PatchMeBody.safeParse({ birthday: '1899-12-31' }).success).toBe(false);
    expect(RegisterBody.safeParse({ nickname: 'a', consentVersion: 'v', birthday: day(30) }).success).toBe(false);
  });
});

describe('image URLs', () => {
  it('are a path on this site or an https URL', () => {
    for (const ok of ['/assets/mall/mug.png', '/assets/a%20b.jpg', 'https://cdn.example.com/x.png', 'https://cdn.example.com:8443/a/b?x=1']) {
      expect(ImageUrl.safeParse(ok).success).toBe(true);
    }
    for (const bad of [
      '//evil.example.com/x.png',
      '/\\evil.example.com/x.png',
      'http://cdn.example.com/x.png',
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'data:image/png;base64,AAAA',
      'https://evil.example.com@x/',
      'https:/evil.example.com',
      'assets/x.png',
      '/assets/x .png',
      ' https://cdn.example.com/x.png',
      `https://cdn.example.com/${'a'.repeat(255)}`,
    ]) {
      expect({ bad, ok: ImageUrl.safeParse(bad).success }).toEqual({ bad, ok: false });
    }
  });
});
