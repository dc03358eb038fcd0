package io.seismo.runtime.net;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which environment variables a registration may reference as {@code ${env:NAME}}: the names matching
 * one of the glob patterns of {@value #SETTING} (default {@value #DEFAULT_PATTERN}). Read by the control
 * API, which refuses other references at registration, and by ingest, which refuses them again before
 * reading the environment — so a write token cannot make ingest send, say, {@code SEISMO_NOTIFY_SECRET}
 * or Kafka credentials to a host of its choosing.
 */
public final class SecretNames {

  private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9_*?]+");
  public static final String SETTING = "SEISMO_SECRET_ENV_ALLOW";
  public static final String DEFAULT_PATTERN = "SEISMO_SECRET_*";
  public static final SecretNames DEFAULT = of(List.of(DEFAULT_PATTERN));

  private final List<String> globs;
  private final Pattern allowed;

  private SecretNames(List<String> globs) {
    this.globs = List.copyOf(globs);
    this.allowed = Pattern.compile(globs.stream().map(SecretNames::regex).collect(Collectors.joining("|")));
  }

  /** Glob patterns ({@code *} any run of characters, {@code ?} one); an empty list allows no name. */
  public static SecretNames of(List<String> globs) {
    for (String glob : globs) {
      if (!GLOB.matcher(glob).matches()) {
        throw new IllegalArgumentException("'" + glob + "' is not a pattern of environment variable names"
            + " (letters, digits, '_', '*' and '?')");
      }
    }
    return new SecretNames(globs);
  }

  /** True for a name a registration may reference; never for the allowlist setting itself. */
  public boolean allows(String name) {
    return name != null && !globs.isEmpty() && !name.equals(SETTING) && allowed.matcher(name).matches();
  }

  public List<String> globs() {
    return globs;
  }

  /** "SEISMO_SECRET_*" or "A_*, B_*", for messages. */
  public String describe() {
    return globs.isEmpty() ? "(none)" : String.join(", ", globs);
  }

  private static String regex(String glob) {
    StringBuilder out = new StringBuilder("(?:");
    for (char c : glob.toCharArray()) {
      out.append(switch (c) {
        case '*' -> ".*";
        case '?' -> ".";
        default -> Pattern.quote(String.valueOf(c));
      });
    }
    return out.append(')').toString();
  }

  /** Two allowlists are equal when they list the same globs (the pattern is derived from them). */
  @Override
  public boolean equals(Object other) {
    return other instanceof SecretNames names && names.globs.equals(globs);
  }

  @Override
  public int hashCode() {
    return globs.hashCode();
  }

  @Override
  public String toString() {
    return SETTING + "=" + describe();
  }
}
