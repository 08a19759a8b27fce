/** An entity-tag (RFC 9110 §8.8.3): opaque text in double quotes, marked `W/` when weak. */
export interface EntityTag {
  weak: boolean;
  opaque: string;
}

/** The value of If-Match or If-None-Match: `*` (any current representation) or a list of tags. */
export type TagCondition = { any: true } | { any: false; tags: readonly EntityTag[] };

// One list element: an optional entity-tag between optional whitespace, then a comma or the end.
// Commas may occur inside an opaque tag, so the list cannot simply be split on them.
const LIST_ELEMENT = /[ \t]*(?:(W\/)?"([\x21\x23-\x7e\x80-\xff]*)")?[ \t]*(,|$)/y;

function parseTagList(value: string): EntityTag[] | undefined {
  const tags: EntityTag[] = [];
  LIST_ELEMENT.lastIndex = 0;
  for (;;) {
    const match = LIST_ELEMENT.exec(value);
    if (!match) return undefined;
    if (match[2] !== undefined) tags.push({ weak: match[1] !== undefined, opaque: match[2] });
    if (match[3] === '') return tags;
  }
}

/**
 * Parses an If-Match / If-None-Match value. Empty list elements are tolerated as RFC 9110 §5.6.1
 * asks of recipients, but a list without a single tag is refused: it can only be a client bug.
 * Returns undefined when the value is not valid.
 */
export function parseTagCondition(value: string): TagCondition | undefined {
  if (/^[ \t]*\*[ \t]*$/.test(value)) return { any: true };
  const tags = parseTagList(value);
  return tags && tags.length > 0 ? { any: false, tags } : undefined;
}

/**
 * Weak comparison (RFC 9110 §8.8.3.2): same opaque text, weakness ignored. (The strong one also
 * requires both tags to be strong; If-Match applies it by leaving weak tags out.)
 */
export function weakMatch(a: EntityTag, b: EntityTag): boolean {
  return a.opaque === b.opaque;
}

/** The strong entity-tag the API gives a version: `"3"`. */
export function versionTag(version: number): EntityTag {
  return { weak: false, opaque: String(version) };
}

/** The version a tag names, if its opaque text is exactly a version as the API writes it. */
export function tagVersion(tag: EntityTag): number | undefined {
  if (!/^[1-9][0-9]{0,14}$/.test(tag.opaque)) return undefined;
  return Number(tag.opaque);
}
