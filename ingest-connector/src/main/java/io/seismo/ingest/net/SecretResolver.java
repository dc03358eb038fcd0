package io.seismo.ingest.net;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}} references in header values at request time. The resolved value is
 * only ever put on the outgoing request: never logged, never written to a topic.
 */
public final class SecretResolver {

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

  private final Function<String, String> environment;

  public SecretResolver(Function<String, String> environment) {
    this.environment = environment;
  }

  public static SecretResolver fromSystemEnvironment() {
    return new SecretResolver(System::getenv);
  }

  public static SecretResolver of(Map<String, String> values) {
    return new SecretResolver(values::get);
  }

  /** The value with every reference replaced; throws naming the missing variable (not its value). */
  public String resolve(String value) {
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
}
