/**
 * A count and its noun, the noun plural unless the count is one. In "k of n groups" the noun agrees with n: `${k}
 * of ${plural(n, "group")}` reads "1 of 1 group", "1 of 60 groups".
 * @example plural(1, "group") // "1 group"; plural(0, "point") // "0 points"
 */
export const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`;

/**
 * "has" or "have", agreeing with a count: "1 group has", "57 groups have", and "1 of 60 groups has a value" (the
 * verb agrees with the one, not with the sixty).
 */
export const have = (n: number): string => (n === 1 ? "has" : "have");
