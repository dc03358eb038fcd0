package io.seismo.runtime.net;

import io.seismo.runtime.config.Settings;
import java.util.List;

/**
 * What every service that checks or sends requests to registered URLs reads about them ({@code SEISMO_ALLOW_HOSTS},
 * {@code SEISMO_SECRET_ENV_ALLOW}; see the README's settings).
 *
 * @param allowHosts  the address allowlist, as {@link AddressGuard#allowing} takes it
 * @param secretNames the environment variables a registration's headers may reference
 */
public record OutboundConfig(List<String> allowHosts, SecretNames secretNames) {

  public static final String ALLOW_HOSTS = "SEISMO_ALLOW_HOSTS";
  /** The former name of {@link #ALLOW_HOSTS}, from when only the ingest read it. */
  public static final String FORMER_ALLOW_HOSTS = "SEISMO_INGEST_ALLOW_HOSTS";

  public OutboundConfig {
    allowHosts = List.copyOf(allowHosts);
  }

  public static OutboundConfig from(Settings settings) {
    return new OutboundConfig(allowHosts(settings), secretNames(settings));
  }

  /** {@value #ALLOW_HOSTS}, else {@value #FORMER_ALLOW_HOSTS}; both set to different lists fails start-up. */
  public static List<String> allowHosts(Settings settings) {
    return settings.list(ALLOW_HOSTS, FORMER_ALLOW_HOSTS, List.of());
  }

  /**
   * The {@value SecretNames#SETTING} allowlist; the variables it allows are secrets for headers, not settings, so
   * they are not reported as unused.
   */
  public static SecretNames secretNames(Settings settings) {
    List<String> globs = settings.list(SecretNames.SETTING, List.of(SecretNames.DEFAULT_PATTERN));
    SecretNames names;
    try {
      names = SecretNames.of(globs);
    } catch (IllegalArgumentException e) {
      throw new Settings.ConfigException(SecretNames.SETTING, e.getMessage());
    }
    settings.markRead(names::allows);
    return names;
  }
}
