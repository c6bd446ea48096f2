package dev.parley.common.user;

import java.util.regex.Pattern;

/** The rules of the contract for user names and passwords. */
public final class Usernames {

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.-]{3,32}");

  private Usernames() {}

  public static boolean isValid(String username) {
    return username != null && VALID.matcher(username).matches();
  }

  public static boolean isValidPassword(String password) {
    return password != null && password.length() >= 8 && password.length() <= 128;
  }

  /** A valid user name made from any name, for accounts of external identity providers. */
  static String sanitize(String name) {
    String cleaned = name == null ? "" : name.replaceAll("[^A-Za-z0-9_.-]", "_");
    if (cleaned.length() > 32) {
      cleaned = cleaned.substring(0, 32);
    }
    while (cleaned.length() < 3) {
      cleaned = cleaned + "_";
    }
    return cleaned;
  }
}
