package dev.parley.gateway.login;

/** The body of register, login and login-register; {@code nickname} is optional. */
public record Credentials(String username, String password, String nickname) {}
