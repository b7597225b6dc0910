/**
 * Device tokens: what the server returns at each sign-in so that this browser is recognised as a
 * device the user signed in from before. Someone guessing a user's password makes unknown devices
 * wait before trying again; a known device never does, so the real user cannot be locked out.
 *
 * Kept per email (lowercased) in localStorage, so people sharing a browser each keep theirs; it
 * survives sign-out on purpose. Not a credential on its own: it only skips the wait, the password
 * is still checked.
 */
export const DEVICE_TOKENS_KEY = "tempo.deviceTokens";

function readAll(): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(DEVICE_TOKENS_KEY) ?? "{}");
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter(
        (entry): entry is [string, string] => typeof entry[1] === "string",
      ),
    );
  } catch {
    return {};
  }
}

export function getDeviceToken(email: string): string | undefined {
  return readAll()[email.trim().toLowerCase()];
}

export function setDeviceToken(email: string, token: string): void {
  try {
    const all = readAll();
    all[email.trim().toLowerCase()] = token;
    window.localStorage.setItem(DEVICE_TOKENS_KEY, JSON.stringify(all));
  } catch {
    // Storage disabled (private mode, quota): this browser stays an unknown device.
  }
}
