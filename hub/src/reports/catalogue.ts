/**
 * The message catalogue of reports and report mails. English is complete; a language is
 * added as one more file (messages/ko.ts, messages/zh.ts) with the same keys, and missing
 * keys fall back to English. CJK text needs a font that covers it in the PDF: set
 * `reports.fontPath` (e.g. Noto Sans CJK, /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
 * from Debian's fonts-noto-cjk).
 */
import { en } from './messages/en.js';

export type Catalogue = Record<string, string>;

export const CATALOGUES: Readonly<Record<string, Catalogue>> = { en };
export const DEFAULT_LANGUAGE = 'en';

export interface Translator {
  readonly language: string;
  t(key: string, params?: Record<string, string | number>): string;
}

export function translator(language: string): Translator {
  const lang = CATALOGUES[language] !== undefined ? language : DEFAULT_LANGUAGE;
  const cat = CATALOGUES[lang] as Catalogue;
  const base = CATALOGUES[DEFAULT_LANGUAGE] as Catalogue;
  return {
    language: lang,
    t(key, params = {}) {
      const text = cat[key] ?? base[key] ?? key;
      return text.replace(/\{(\w+)\}/g, (m, name: string) => (params[name] === undefined ? m : String(params[name])));
    },
  };
}
