/**
 * The one neutral-text check (issue 11, Build-6): does a text name an arm or a product of the
 * trial? Used at write time (every free-text field a blinded person can read is refused with
 * `400 BLINDING_RISK`) and by the response guard (every string of every answer to a blinded
 * caller). Word-based and case-insensitive, so "PBO-MSC", "pbo msc", "Placebo" and "ＰＢＯ" are
 * all caught, while "MSCT-MS" or "MS-PBOX7Q" (other words that only contain the letters) are not.
 *
 * The vocabulary comes from the protocol: arm and product codes and labels, and their
 * distinctive words (a word of one product's or arm's label that is not in every other's:
 * "placebo", "mesenchymal", but not "intravenous" when both products are intravenous). Phrases
 * the protocol allows (`blinding.allowedPhrases`, e.g. "MSC harvest": every patient of the
 * crossover has a marrow harvest) and the protocol's own public texts (title, questions,
 * criteria: every role reads them already) are exempt where they occur.
 */
import type { Protocol } from './types.js';

/** One word of a text: its normalized form and where it is in the original string. */
interface Token {
  norm: string;
  start: number;
  end: number;
}

export interface NeutralTextVocabulary {
  /** Terms as normalized word sequences, indexed by their first word. */
  terms: Map<string, string[][]>;
  /** Allowed phrases as normalized word sequences, indexed by their first word. */
  allowed: Map<string, string[][]>;
  /**
   * The first word of every term (codes run together are one-word terms), as one case-insensitive pattern: an
   * ASCII text that contains none of them (and no letter run) cannot name a term, so most strings
   * (identifiers, times, hashes) are passed without being split into words.
   */
  prefilter: RegExp;
}

/** Where a text names an arm or product: the words as written, and their span. */
export interface ArmWordHit {
  word: string;
  start: number;
  end: number;
}

/** Short words that never distinguish one product from another. */
const COMMON = new Set(['the', 'and', 'for', 'with', 'per', 'via', 'then', 'than', 'from', 'into', 'each', 'both']);

/** Format characters (zero-width space, joiners, soft hyphen) hidden inside a word to split it. */
const INVISIBLE = /[\p{Cf}]/gu;

function tokens(text: string): Token[] {
  const out: Token[] = [];
  // NFKC folds full-width and compatibility letters (ＰＢＯ → PBO); lower-casing happens per word.
  const normalized = text.normalize('NFKC').replace(INVISIBLE, '');
  const sameLength = normalized.length === text.length;
  for (const m of normalized.matchAll(/[\p{L}\p{N}]+/gu)) {
    const start = sameLength ? m.index! : 0;
    const end = sameLength ? m.index! + m[0].length : text.length;
    out.push({ norm: m[0].toLowerCase(), start, end });
  }
  return out;
}

/** Words of a code or label, normalized like any text. */
function words(text: string): string[] {
  return tokens(text).map((t) => t.norm);
}

function index(sequences: string[][]): Map<string, string[][]> {
  const map = new Map<string, string[][]>();
  for (const seq of sequences) {
    if (seq.length === 0) continue;
    const list = map.get(seq[0]) ?? [];
    if (!list.some((s) => s.join(' ') === seq.join(' '))) list.push(seq);
    map.set(seq[0], list);
  }
  return map;
}

/** Words of each item's code and label that are not shared by all items of the group. */
function distinctiveWords(items: Array<{ code: string; label: string }>): string[][] {
  const sets = items.map((i) => new Set([...words(i.code), ...words(i.label)]));
  const out: string[][] = [];
  for (const set of sets) {
    for (const w of set) {
      if (w.length < 3 || COMMON.has(w)) continue;
      if (!sets.every((s) => s.has(w))) out.push([w]);
    }
  }
  return out;
}

/** A code as terms: its words in order, the code written without separators, and "arm X" for a one-letter code. */
function codeTerms(code: string): string[][] {
  const seq = words(code);
  const out: string[][] = [seq, [seq.join('')]];
  if (seq.join('').length < 2) out.length = 0;
  if (seq.join('').length < 3) for (const lead of ['arm', 'group', 'sequence', 'product']) out.push([lead, ...seq]);
  return out;
}

/** The texts of the protocol that every role reads anyway (naming a product there is by design). */
function publicTexts(protocol: Protocol): string[] {
  const texts: string[] = [protocol.study.title];
  for (const p of protocol.periods) texts.push(p.label, p.timing ?? '');
  for (const q of protocol.questions) texts.push(q.label);
  const walk = (criteria: Protocol['eligibility']) => {
    for (const c of criteria as Array<{ text?: string; allOf?: unknown; anyOf?: unknown }>) {
      if (c.text) texts.push(c.text);
      if (Array.isArray(c.allOf)) walk(c.allOf as Protocol['eligibility']);
      if (Array.isArray(c.anyOf)) walk(c.anyOf as Protocol['eligibility']);
    }
  };
  walk(protocol.eligibility);
  for (const f of protocol.stratification.factors) texts.push(f.label, ...f.levels.map((l) => l.label));
  for (const s of protocol.sites ?? []) texts.push(s.name);
  return texts.filter((t) => t.trim() !== '');
}

/**
 * `otherPublic`: texts of the instance that are public whatever the study — every study's code and title (a
 * route's study code, the study switcher). "MSC-PAR21", the code of a study of MSC, names no allocation.
 */
export function neutralTextVocabulary(protocol: Protocol, otherPublic: string[] = []): NeutralTextVocabulary {
  const terms: string[][] = [];
  for (const group of [protocol.arms, protocol.products]) {
    for (const item of group) terms.push(...codeTerms(item.code), words(item.label));
    terms.push(...distinctiveWords(group));
  }
  const allowed = [
    ...(protocol.blinding?.allowedPhrases ?? []),
    ...publicTexts(protocol),
    protocol.study.code,
    ...otherPublic,
  ].map(words);
  const kept = terms.filter((t) => t.length > 0);
  // A term can only match where its first word does; one-word terms include the codes run together.
  const needles = [...new Set(kept.map((t) => t[0]))].sort((a, b) => b.length - a.length);
  const escape = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return {
    terms: index(kept),
    allowed: index(allowed),
    prefilter: new RegExp(needles.map(escape).join('|') || '(?!)', 'i'),
  };
}

// eslint-disable-next-line no-control-regex -- the whole ASCII range, control characters included, is the point
const ASCII = /^[\x00-\x7f]*$/;
/** Two one-character words in a row ("P B O"): the letter-run case, which no needle shows. */
const LETTER_RUN = /(?<![A-Za-z0-9])[A-Za-z0-9][^A-Za-z0-9]+[A-Za-z0-9](?![A-Za-z0-9])/;

/**
 * Cheap pre-test, never a false "no": in plain ASCII a term shows up as one of the needles (its
 * words, or the code run together) or as a letter run; other scripts and compatibility forms
 * always take the full word-based path.
 */
function mayNameTerm(text: string, vocab: NeutralTextVocabulary): boolean {
  if (!ASCII.test(text)) return true;
  return vocab.prefilter.test(text) || LETTER_RUN.test(text);
}

function matchesAt(toks: Token[], i: number, seq: string[]): boolean {
  if (i + seq.length > toks.length) return false;
  for (let k = 0; k < seq.length; k++) if (toks[i + k].norm !== seq[k]) return false;
  return true;
}

/**
 * Single letters or digits written apart ("P B O", "p.b.o") joined into one word, so that
 * spelling a code letter by letter does not slip past a word-based check.
 */
function joinedLetterRuns(toks: Token[]): Token[] {
  const out: Token[] = [];
  let run: Token[] = [];
  const flush = () => {
    if (run.length >= 2)
      out.push({ norm: run.map((t) => t.norm).join(''), start: run[0].start, end: run[run.length - 1].end });
    run = [];
  };
  for (const t of toks) {
    if (t.norm.length === 1) run.push(t);
    else flush();
  }
  flush();
  return out;
}

/** Every place in `text` that names an arm or product outside an allowed phrase. */
export function findArmWords(text: string, vocab: NeutralTextVocabulary): ArmWordHit[] {
  if (text.length === 0 || !mayNameTerm(text, vocab)) return [];
  const toks = tokens(text);
  const covered = new Array<boolean>(toks.length).fill(false);
  for (let i = 0; i < toks.length; i++) {
    for (const seq of vocab.allowed.get(toks[i].norm) ?? []) {
      if (matchesAt(toks, i, seq)) for (let k = 0; k < seq.length; k++) covered[i + k] = true;
    }
  }
  const hits: ArmWordHit[] = [];
  for (let i = 0; i < toks.length; i++) {
    for (const seq of vocab.terms.get(toks[i].norm) ?? []) {
      if (!matchesAt(toks, i, seq)) continue;
      let free = false;
      for (let k = 0; k < seq.length; k++) if (!covered[i + k]) free = true;
      if (free)
        hits.push({
          word: text.slice(toks[i].start, toks[i + seq.length - 1].end),
          start: toks[i].start,
          end: toks[i + seq.length - 1].end,
        });
    }
  }
  for (const run of joinedLetterRuns(toks)) {
    if (vocab.terms.get(run.norm)?.some((seq) => seq.length === 1))
      hits.push({ word: text.slice(run.start, run.end), start: run.start, end: run.end });
  }
  return hits.sort((a, b) => a.start - b.start);
}

/** The first arm or product word in `text`, or null when the text is neutral. */
export function findArmWord(text: string, vocab: NeutralTextVocabulary): ArmWordHit | null {
  return findArmWords(text, vocab)[0] ?? null;
}

/** `text` with every arm or product word replaced by `marker` (for text bodies such as CSV exports). */
export function redactArmWords(text: string, vocab: NeutralTextVocabulary, marker: string): string {
  const hits = findArmWords(text, vocab);
  if (hits.length === 0) return text;
  let out = '';
  let at = 0;
  for (const h of hits) {
    if (h.start < at) continue;
    out += text.slice(at, h.start) + marker;
    at = h.end;
  }
  return out + text.slice(at);
}
