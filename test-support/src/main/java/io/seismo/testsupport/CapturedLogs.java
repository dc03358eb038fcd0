package io.seismo.testsupport;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * The log events of one logger (and its children) while open, with their context fields (SLF4J's MDC, Log4j's
 * ThreadContext) as Log4j hands them to an appender — what the JSON layout writes as separate fields.
 * Needs log4j-core and log4j-slf4j2-impl on the test class path.
 */
public final class CapturedLogs implements AutoCloseable {

  /** One log line: its message and its context fields. */
  public record Line(String logger, String level, String message, Map<String, String> context) {}

  private final List<Line> lines = new CopyOnWriteArrayList<>();
  private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
  private final String loggerName;
  private final AbstractAppender appender;
  private final LoggerConfig added;

  private CapturedLogs(String loggerName) {
    this.loggerName = loggerName;
    this.appender = new AbstractAppender("captured-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        lines.add(new Line(event.getLoggerName(), event.getLevel().name(), event.getMessage().getFormattedMessage(),
            Map.copyOf(event.getContextData().toMap())));
      }
    };
    appender.start();
    Configuration configuration = context.getConfiguration();
    configuration.addAppender(appender);
    LoggerConfig config = configuration.getLoggerConfig(loggerName);
    if (config.getName().equals(loggerName)) {
      added = null;
      config.addAppender(appender, Level.ALL, null);
    } else {
      added = new LoggerConfig(loggerName, Level.ALL, true);
      added.addAppender(appender, Level.ALL, null);
      configuration.addLogger(loggerName, added);
    }
    context.updateLoggers();
  }

  /** Captures what {@code loggerName} and the loggers under it log, at every level. */
  public static CapturedLogs of(String loggerName) {
    return new CapturedLogs(loggerName);
  }

  public List<Line> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    Configuration configuration = context.getConfiguration();
    if (added != null) {
      configuration.removeLogger(loggerName);
    } else {
      configuration.getLoggerConfig(loggerName).removeAppender(appender.getName());
    }
    context.updateLoggers();
    appender.stop();
  }
}
