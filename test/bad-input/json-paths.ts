// Addressing the members of a JSON value, so the fuzzer can change one deep inside a body
// (customer.email, items[0].quantity) as easily as one at the top.

export type JsonPath = ReadonlyArray<string | number>;

/** Marks a member or element to remove. */
export const DROP = Symbol('drop');

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The path of every member and element, at any depth. */
export function valuePaths(value: unknown, prefix: JsonPath = []): JsonPath[] {
  const children: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : isObject(value) ? Object.entries(value) : [];
  return children.flatMap(([key, child]) => [[...prefix, key], ...valuePaths(child, [...prefix, key])]);
}

/** The path of every object, the root included: where an unknown member can go. */
export function objectPaths(value: unknown): JsonPath[] {
  return [[], ...valuePaths(value)].filter((path) => isObject(valueAt(value, path)));
}

export function valueAt(value: unknown, path: JsonPath): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)?.[key], value);
}

/** A copy of `value` with the member at `path` replaced, or removed when `replacement` is DROP. */
export function setAt(value: unknown, path: JsonPath, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [key, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && replacement === DROP) copy.splice(key as number, 1);
    else copy[key as number] = setAt(copy[key as number], rest, replacement);
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  if (rest.length === 0 && replacement === DROP) delete copy[key as string];
  else copy[key as string] = setAt(copy[key as string], rest, replacement);
  return copy;
}

/** `["items", 0, "quantity"]` as `items[0].quantity`. */
export function formatPath(path: JsonPath): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('') || '(root)';
}
