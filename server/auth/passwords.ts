import { randomInt } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

// argon2id with the library's defaults (19 MiB, 2 passes): ~20 ms per check here.
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

// Checked against for unknown usernames, so a wrong username takes as long as a wrong password.
let decoy: Promise<string> | null = null;
export async function verifyDecoy(password: string): Promise<void> {
  decoy ??= hash("corral-decoy-password");
  await verifyPassword(await decoy, password);
}

const ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"; // no l/1/o/0 to misread

/** A generated password: 4 groups of 5, about 100 bits. */
export function generatePassword(): string {
  const group = () => Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  return [group(), group(), group(), group()].join("-");
}
