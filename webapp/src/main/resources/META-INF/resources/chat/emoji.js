/**
 * The emoji picker's palette and the test for a message that is only emoji (sent as kind
 * `emoji`, shown large). A static list: no network, no font tricks; the system draws them.
 */

/** The picker's palette. */
export const EMOJI = [
  '😀', '😂', '😊', '😍', '😎', '🤔', '😴', '😢', '😡', '🥳', '😇', '🙃',
  '👍', '👎', '👏', '🙏', '👋', '💪', '🤝', '✌️', '👀', '🎉', '❤️', '🔥',
  '✅', '❌', '⭐', '☕', '🍕', '🎂', '🚀', '💡', '📌', '📎', '🐱', '🐶',
];

const EMOJI_ONLY = /^(?:\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}]|\uFE0F|\u200D|\s){1,24}$/u;

/** True when the text is nothing but a few emoji (and spaces). */
export function isEmojiOnly(text) {
  return typeof text === 'string' && /\p{Extended_Pictographic}/u.test(text) && EMOJI_ONLY.test(text);
}
