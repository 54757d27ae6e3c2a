/** A copy of `o` without its undefined entries (so that spreading it keeps the defaults it does not set). */
export const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
