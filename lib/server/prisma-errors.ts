/**
 * Prisma's error codes that the code branches on (https://www.prisma.io/docs/orm/reference/error-reference):
 * a unique value taken (two requests raced for one name), a foreign key refused (the row it
 * refers to is gone, or a row still refers to this one), a row not found by an update or delete.
 */
export const UNIQUE_VIOLATION = "P2002";
export const FOREIGN_KEY_VIOLATION = "P2003";
export const NOT_FOUND = "P2025";

/** Whether err is a Prisma error with one of these codes. */
export function isPrismaError(err: unknown, ...codes: string[]): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && codes.includes(code);
}
