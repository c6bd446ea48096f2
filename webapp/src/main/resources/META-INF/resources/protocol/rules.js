/**
 * The contract's rules for account fields, checked before anything is sent so that mistakes are
 * caught without a round trip. The server checks them again; these only make the answer faster.
 */

const USERNAME = /^[A-Za-z0-9_.-]{3,32}$/;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const NICKNAME_MAX = 64;

/** Why a username is not acceptable, or null when it is. */
export function usernameProblem(username) {
  if (username.length < 3 || username.length > 32) {
    return 'Usernames are 3 to 32 characters long.';
  }
  if (!USERNAME.test(username)) {
    return 'Usernames may only contain letters, digits and _ . -';
  }
  return null;
}

/** Why a password is not acceptable, or null when it is. */
export function passwordProblem(password) {
  if (password.length < PASSWORD_MIN) {
    return `Passwords are at least ${PASSWORD_MIN} characters long.`;
  }
  if (password.length > PASSWORD_MAX) {
    return `Passwords are at most ${PASSWORD_MAX} characters long.`;
  }
  return null;
}

/** Why an optional nickname is not acceptable, or null when it is (or is empty). */
export function nicknameProblem(nickname) {
  return nickname.length > NICKNAME_MAX ? `Nicknames are at most ${NICKNAME_MAX} characters long.` : null;
}
