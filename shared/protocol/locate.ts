/**
 * Maps a field path inside the parsed YAML document back to its line, so that every protocol
 * error can say where to look ("arms[1].ratio, line 34").
 */
import { isMap, isNode, isPair, isScalar, type Document, type LineCounter } from 'yaml';
import type { ProtocolError } from './types.js';

export type PathSegment = string | number;

/** `['arms', 1, 'ratio']` → `arms[1].ratio`; the empty path is the document itself. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out === '' ? s : `.${s}`;
  return out === '' ? '(document)' : out;
}

export class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /**
   * The line of the value at `segments`; for a missing field, the line of its nearest existing
   * parent (that is where the field should be added).
   */
  lineOf(segments: readonly PathSegment[]): number | null {
    for (let depth = segments.length; depth >= 0; depth--) {
      const node = depth === 0 ? this.doc.contents : this.doc.getIn(segments.slice(0, depth), true);
      if (isNode(node) && node.range) return this.lines.linePos(node.range[0]).line;
    }
    return null;
  }

  /** The line of a key inside a map (for an unknown field the key is what is wrong). */
  lineOfKey(parent: readonly PathSegment[], key: string): number | null {
    const node = parent.length === 0 ? this.doc.contents : this.doc.getIn(parent, true);
    if (isMap(node)) {
      for (const item of node.items) {
        if (isPair(item) && isScalar(item.key) && String(item.key.value) === key && item.key.range) {
          return this.lines.linePos(item.key.range[0]).line;
        }
      }
    }
    return this.lineOf(parent);
  }

  /** An error at a path, with its line. */
  error(segments: readonly PathSegment[], message: string): ProtocolError {
    return { path: formatPath(segments), line: this.lineOf(segments), message };
  }
}
