/**
 * Typed access to environment variables. Every setting of Agora is read
 * through these helpers so that defaults live next to their use and a bad
 * value fails at start instead of misbehaving later.
 */
export function envString(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === "" ? fallback : value;
}

export function envOptional(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === "" ? undefined : value;
}

export function envInt(name: string, fallback: number): number {
  const raw = envOptional(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${raw}"`);
  return value;
}

export function envBool(name: string, fallback: boolean): boolean {
  const raw = envOptional(name);
  if (raw === undefined) return fallback;
  return ["1", "true", "yes", "on"].includes(raw.toLowerCase());
}

export function envList(name: string): string[] {
  return (envOptional(name) ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export const isProduction = (): boolean => process.env.NODE_ENV === "production";
export const isTest = (): boolean => process.env.NODE_ENV === "test" || !!process.env.JEST_WORKER_ID;
