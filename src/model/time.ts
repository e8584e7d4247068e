// Time units shared by every layer (certificate lifetimes are judged and generated in days).

export const DAY_MS = 86_400_000;

/** Whole days from `from` to `to`, rounded down (negative when `to` is earlier). */
export function wholeDaysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}
