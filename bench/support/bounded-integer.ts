/** `raw` as an integer within [min, max], or an error naming the option, so a typo cannot start an endless run. */
export function boundedInteger(option: string, [min, max]: readonly [number, number], raw: string | undefined): number {
  const value = Number(raw);
  if (raw === undefined || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`--${option} must be an integer from ${min} to ${max}, got "${raw ?? ''}"`);
  }
  return value;
}
