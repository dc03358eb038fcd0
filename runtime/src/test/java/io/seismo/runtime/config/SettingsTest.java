package io.seismo.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seismo.testsupport.CapturedLogs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsTest {

  private static Settings with(String name, String value) {
    return new Settings(Map.of(name, value));
  }

  @ParameterizedTest(name = "{0} = {1} bytes")
  @CsvSource({
      "0, 0",
      "65536, 65536",
      "1b, 1",
      "512k, 524288",
      "512K, 524288",
      "512kb, 524288",
      "512KB, 524288",
      "512KiB, 524288",
      "64m, 67108864",
      "64M, 67108864",
      "64mb, 67108864",
      "64 MB, 67108864",
      "64mib, 67108864",
      "1g, 1073741824",
      "1GB, 1073741824",
      "3g, 3221225472",
      "' 2k ', 2048"})
  void shouldReadASizeWithABinaryUnitWhenOneIsGiven(String raw, long expected) {
    assertThat(Settings.parseBytes(raw)).isEqualTo(expected);
    assertThat(with("SEISMO_X_BUFFER", raw).bytes("SEISMO_X_BUFFER", 7, 0)).isEqualTo(expected);
  }

  @Test
  void shouldReadTheDocumentedOutageBufferWhenGivenAs64m() {
    assertThat(with("SEISMO_INGEST_OUTAGE_BUFFER", "64m").bytes("SEISMO_INGEST_OUTAGE_BUFFER", 1, 1024 * 1024))
        .isEqualTo(64L * 1024 * 1024);
  }

  @ParameterizedTest
  @ValueSource(strings = {"64x", "m", "64mm", "-1k", "1.5m", "64 m b", "9999999999g", "1t", "64m64"})
  void shouldRefuseASizeNamingTheVariableWhenItIsMalformed(String raw) {
    assertThatThrownBy(() -> with("SEISMO_X_BUFFER", raw).bytes("SEISMO_X_BUFFER", 7, 0))
        .isInstanceOf(Settings.ConfigException.class)
        .hasMessage("invalid configuration: SEISMO_X_BUFFER must be a size like 65536, 512k, 64m or 1g"
            + " (k, m, g: 1024, 1024², 1024³ bytes), was '" + raw + "'");
  }

  @Test
  void shouldRefuseASizeBelowTheMinimumWhenItHasAUnit() {
    assertThatThrownBy(() -> with("SEISMO_X_BUFFER", "512k").bytes("SEISMO_X_BUFFER", 7, 1024 * 1024))
        .isInstanceOf(Settings.ConfigException.class)
        .hasMessage("invalid configuration: SEISMO_X_BUFFER must be at least 1048576 bytes, was 524288 (512k)");
  }

  @ParameterizedTest(name = "{0} = {1} ms")
  @CsvSource({
      "0, 0",
      "250ms, 250",
      "250MS, 250",
      "5s, 5000",
      "5S, 5000",
      "' 5 s ', 5000",
      "2m, 120000",
      "2M, 120000",
      "1h, 3600000",
      "1d, 86400000",
      "PT5S, 5000",
      "pt0.25s, 250",
      "PT1M30S, 90000",
      "P1D, 86400000",
      "P1DT1H, 90000000"})
  void shouldReadADurationWhenItHasAUnitOrIsIso8601(String raw, long expectedMillis) {
    assertThat(Settings.parseDuration(raw)).isEqualTo(Duration.ofMillis(expectedMillis));
    assertThat(with("SEISMO_X_TIMEOUT", raw).duration("SEISMO_X_TIMEOUT", Duration.ofDays(9)))
        .isEqualTo(Duration.ofMillis(expectedMillis));
  }

  /** A bare number is ambiguous (the API's pollIntervalMs is milliseconds, other settings were seconds). */
  @ParameterizedTest
  @ValueSource(strings = {"5", "1000", "5x", "ms", "5mb", "-5s", "PT-5S", "1.5s", "5 s s", "99999999999999999999d",
      "9999999999999999d", "P"})
  void shouldRefuseADurationNamingTheVariableWhenItHasNoUnitOrIsMalformed(String raw) {
    assertThatThrownBy(() -> with("SEISMO_X_TIMEOUT", raw).duration("SEISMO_X_TIMEOUT", Duration.ZERO))
        .isInstanceOf(Settings.ConfigException.class)
        .hasMessage("invalid configuration: SEISMO_X_TIMEOUT must be a duration with a unit like 500ms, 5s, 2m,"
            + " 1h, 1d or ISO-8601 like PT5S, was '" + raw + "'");
  }

  @Test
  void shouldUseTheDefaultsWhenNothingIsSet() {
    Settings settings = new Settings(Map.of());
    assertThat(settings.bytes("SEISMO_X_BUFFER", 64L * 1024 * 1024, 1)).isEqualTo(64L * 1024 * 1024);
    assertThat(settings.duration("SEISMO_X_TIMEOUT", Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void shouldReadARenamedSettingUnderItsFormerNameWithOneWarningNamingTheNewName() {
    Map<String, String> formerOnly = Map.of("SEISMO_T1_OLD_HOSTS", "a, b");
    try (CapturedLogs logs = CapturedLogs.of(Settings.class.getName())) {
      Settings settings = new Settings(formerOnly);

      assertThat(settings.list("SEISMO_T1_HOSTS", "SEISMO_T1_OLD_HOSTS", List.of())).containsExactly("a", "b");
      assertThat(new Settings(formerOnly).list("SEISMO_T1_HOSTS", "SEISMO_T1_OLD_HOSTS", List.of()))
          .containsExactly("a", "b");

      assertThat(settings.unread()).isEmpty();
      assertThat(logs.lines()).singleElement().satisfies(line -> {
        assertThat(line.level()).isEqualTo("WARN");
        assertThat(line.message()).isEqualTo("setting SEISMO_T1_OLD_HOSTS is deprecated: it is now called"
            + " SEISMO_T1_HOSTS (read under its former name for now; rename it)");
      });
    }
  }

  @Test
  void shouldReadTheNewNameWithoutAWarningWhenOnlyItIsSet() {
    try (CapturedLogs logs = CapturedLogs.of(Settings.class.getName())) {
      assertThat(with("SEISMO_T2_HOSTS", "a").list("SEISMO_T2_HOSTS", "SEISMO_T2_OLD_HOSTS", List.of("d")))
          .containsExactly("a");
      assertThat(new Settings(Map.of()).list("SEISMO_T2_HOSTS", "SEISMO_T2_OLD_HOSTS", List.of("d")))
          .containsExactly("d");

      assertThat(logs.lines()).isEmpty();
    }
  }

  @Test
  void shouldAcceptBothNamesWhenTheyAreSetToTheSameList() {
    Settings settings = new Settings(Map.of("SEISMO_T3_HOSTS", "a,b", "SEISMO_T3_OLD_HOSTS", " a , b "));

    assertThat(settings.list("SEISMO_T3_HOSTS", "SEISMO_T3_OLD_HOSTS", List.of())).containsExactly("a", "b");
  }

  @Test
  void shouldFailNamingBothWhenANewAndAFormerNameDisagree() {
    Settings settings = new Settings(Map.of("SEISMO_T4_HOSTS", "a", "SEISMO_T4_OLD_HOSTS", "b"));

    assertThatThrownBy(() -> settings.list("SEISMO_T4_HOSTS", "SEISMO_T4_OLD_HOSTS", List.of()))
        .isInstanceOf(Settings.ConfigException.class)
        .hasMessage("invalid configuration: SEISMO_T4_OLD_HOSTS is the former name of SEISMO_T4_HOSTS, and both are"
            + " set, to different values: set SEISMO_T4_HOSTS only");
  }
}
