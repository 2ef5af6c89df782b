package dev.flagedge.server;

import dev.flagedge.engine.internal.JsonWriter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes {@code System.Logger} output (the JDK's default backend) to standard error, as one line
 * per event: plain text ({@code generic}) or a JSON object ({@code json}) with timestamp, level,
 * logger and message, and the {@code trace_id} and {@code span_id} of the request being answered
 * when it is traced. Handlers write on the logging thread, so the request's span is the current
 * one: routes and the access log run on the request's thread.
 */
final class LogSetup {
  /** Held so that its level sticks: java.util.logging keeps loggers only weakly. */
  private static final Logger JETTY = Logger.getLogger("org.eclipse.jetty");

  private LogSetup() {}

  static void configure(String level, boolean json) {
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    Level julLevel = julLevel(level);
    ConsoleHandler handler = new ConsoleHandler();
    handler.setLevel(julLevel);
    handler.setFormatter(json ? new JsonFormatter() : new LineFormatter());
    root.addHandler(handler);
    root.setLevel(julLevel);
    // Jetty's start-up banners add nothing to the server's own line; its warnings and errors stay.
    JETTY.setLevel(julLevel.intValue() < Level.INFO.intValue() ? julLevel : Level.WARNING);
  }

  /** The JSON line format, for handlers of one's own. */
  static Formatter jsonFormatter() {
    return new JsonFormatter();
  }

  private static Level julLevel(String level) {
    switch (level) {
      case "CRITICAL":
      case "ERROR":
        return Level.SEVERE;
      case "WARNING":
        return Level.WARNING;
      case "DEBUG":
        return Level.FINE;
      case "NOTSET":
        return Level.ALL;
      default:
        return Level.INFO;
    }
  }

  private static String levelName(Level level) {
    if (level.intValue() >= Level.SEVERE.intValue()) {
      return "error";
    }
    if (level.intValue() >= Level.WARNING.intValue()) {
      return "warning";
    }
    return level.intValue() >= Level.INFO.intValue() ? "info" : "debug";
  }

  private static String stackTrace(Throwable thrown) {
    StringWriter out = new StringWriter();
    thrown.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private static final class LineFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
      String line =
          Instant.ofEpochMilli(record.getMillis())
              + " ["
              + levelName(record.getLevel())
              + "] "
              + formatMessage(record)
              + " ["
              + record.getLoggerName()
              + "]"
              + System.lineSeparator();
      return record.getThrown() == null ? line : line + stackTrace(record.getThrown());
    }
  }

  private static final class JsonFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
      JsonWriter out = new JsonWriter(160);
      out.beginObject()
          .name("timestamp")
          .value(Instant.ofEpochMilli(record.getMillis()).toString())
          .name("level")
          .value(levelName(record.getLevel()))
          .name("logger")
          .value(String.valueOf(record.getLoggerName()))
          .name("message")
          .value(formatMessage(record));
      SpanContext span = Span.current().getSpanContext();
      if (span.isValid()) {
        out.name("trace_id").value(span.getTraceId()).name("span_id").value(span.getSpanId());
      }
      if (record.getThrown() != null) {
        out.name("exception").value(stackTrace(record.getThrown()));
      }
      return out.endObject() + System.lineSeparator();
    }
  }
}
