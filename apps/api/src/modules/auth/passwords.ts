/** Password hashing (bcrypt) and generated passwords. */
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcrypt';

export function hashPassword(password: string, rounds: number): Promise<string> {
  return bcrypt.hash(password, rounds);
}

/** Never throws: a malformed stored hash simply does not match. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    return await bcrypt.compare(password, hash);
  } catch {
    return false;
  }
}

/** 20 characters of base64url: 120 bits, typed once and then changed under Account. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
