package io.seismo.runtime.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}} references in header values at request time. The resolved value is
 * only ever put on the outgoing request: never logged, never written to a topic. Only names the
 * {@link SecretNames} allowlist allows are read from the environment.
 */
public final class SecretResolver {

  /** The syntax of a reference; {@code ${env:} followed by anything else is not one. */
  public static final Pattern REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

  private final Function<String, String> environment;
  private final SecretNames allowed;

  public SecretResolver(Function<String, String> environment, SecretNames allowed) {
    this.environment = environment;
    this.allowed = allowed;
  }

  public static SecretResolver fromSystemEnvironment(SecretNames allowed) {
    return new SecretResolver(System::getenv, allowed);
  }

  /** Values from a map instead of the environment, under the default allowlist ({@code SEISMO_SECRET_*}). */
  public static SecretResolver of(Map<String, String> values) {
    return new SecretResolver(values::get, SecretNames.DEFAULT);
  }

  /** The names a header value references, in order. */
  public static List<String> references(String value) {
    List<String> names = new ArrayList<>();
    Matcher matcher = REFERENCE.matcher(value);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  /**
   * The value with every reference replaced; throws naming the variable (never a value) when a name is
   * not allowed — before anything is read from the environment — or not set.
   */
  public String resolve(String value) {
    for (String name : references(value)) {
      if (!allowed.allows(name)) {
        throw new RefusedSecretException(name, allowed);
      }
    }
    Matcher matcher = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      String secret = environment.apply(name);
      if (secret == null) {
        throw new MissingSecretException(name);
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(secret));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /** A secret reference that cannot be resolved; the message names the variable, never a value. */
  public abstract static class SecretException extends RuntimeException {
    SecretException(String message) {
      super(message, null, false, false);
    }
  }

  /** A header references an environment variable that is not set. */
  public static final class MissingSecretException extends SecretException {
    public MissingSecretException(String name) {
      super("header references ${env:" + name + "} but environment variable " + name + " is not set");
    }
  }

  /** A header references an environment variable outside the allowlist. */
  public static final class RefusedSecretException extends SecretException {
    public RefusedSecretException(String name, SecretNames allowed) {
      super("header references ${env:" + name + "}, which is not an allowed secret name: "
          + SecretNames.SETTING + " allows " + allowed.describe());
    }
  }
}
