package dev.flagedge.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Dispatches every request by path and method, and is the one place where failures become HTTP
 * responses: {@link ApiException}s get their status and JSON body, anything unexpected a logged 500
 * with a JSON body, except fatal JVM errors, which go to the server's {@link FatalErrors} policy
 * (the standalone server ends the process). Paths are served with or without a trailing slash. A
 * request's body is read before its route runs, without holding a thread while it arrives ({@link
 * RequestBody}). Routes must not block: they run on the connection's selector thread ({@link
 * #getInvocationType()}).
 */
final class Router extends Handler.Abstract {
  private static final System.Logger logger = System.getLogger(Router.class.getName());
  private static final Body INTERNAL_ERROR =
      Body.json("{\"status\":\"error\",\"message\":\"internal server error\"}");

  private record Entry(
      String name, RouteTemplate template, Set<String> methods, String allow, Route route) {}

  private final Map<String, Entry> routes = new HashMap<>();

  /** Routes for paths with a variable part, tried in order when no exact path matches. */
  private final List<Map.Entry<Predicate<String>, Entry>> patterns = new ArrayList<>();

  private volatile Cors cors;
  private final Metrics metrics;
  private final AccessLog accessLog;
  private final FatalErrors fatalErrors;
  private final Usage usage;
  private final Telemetry telemetry;

  Router(
      Cors cors,
      Metrics metrics,
      AccessLog accessLog,
      FatalErrors fatalErrors,
      Usage usage,
      Telemetry telemetry) {
    this.cors = cors;
    this.metrics = metrics;
    this.accessLog = accessLog;
    this.fatalErrors = fatalErrors;
    this.usage = usage;
    this.telemetry = telemetry;
  }

  /** Replaces the CORS rules, as a reloaded configuration gives them. */
  void cors(Cors cors) {
    this.cors = cors;
  }

  /**
   * Registers a route; GET routes answer HEAD too. The path is served with or without a trailing
   * slash; as given, it is the route's template in traces ({@code /api/v1/flags/}).
   */
  Router route(String path, String name, Set<String> methods, Route route) {
    String key =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    routes.put(
        key, entry(name, path, methods.contains("GET") ? union(methods, "HEAD") : methods, route));
    return this;
  }

  /**
   * Registers a route for every path the predicate accepts, with exactly these methods (a stream
   * has no HEAD form); the template names the paths in traces ({@code
   * /sse/environments/{client_key}/stream}).
   */
  Router routeMatching(
      Predicate<String> paths, String template, String name, Set<String> methods, Route route) {
    patterns.add(Map.entry(paths, entry(name, template, methods, route)));
    return this;
  }

  private static Entry entry(String name, String template, Set<String> methods, Route route) {
    return new Entry(
        name,
        new RouteTemplate(template),
        methods,
        String.join(", ", new java.util.TreeSet<>(methods)),
        route);
  }

  private Entry find(String path) {
    Entry exact = routes.get(path);
    if (exact != null) {
      return exact;
    }
    for (Map.Entry<Predicate<String>, Entry> pattern : patterns) {
      if (pattern.getKey().test(path)) {
        return pattern.getValue();
      }
    }
    return null;
  }

  private static Set<String> union(Set<String> methods, String extra) {
    java.util.HashSet<String> all = new java.util.HashSet<>(methods);
    all.add(extra);
    return Set.copyOf(all);
  }

  /**
   * Non-blocking: a route only computes and hands its answer to a non-blocking write, so Jetty runs
   * it on the thread that read the request instead of handing every request to a worker (the
   * handoff cost more than the answer: 28k → 37k req/s for a flags list on 2 cores). Whatever could
   * block (a streamed write, an upstream call) is moved to a worker by its owner.
   */
  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    // How long the request waited to be handled once its headers were in; the body's time excluded.
    long waited = System.nanoTime() - request.getHeadersNanoTime();
    RequestBody.read(
        request,
        getServer().getScheduler(),
        (body, failure) -> {
          if (failure != null) {
            logger.log(
                System.Logger.Level.DEBUG, "request body not received: {0}", failure.toString());
            callback.failed(failure);
            return;
          }
          handle(new HttpCall(request, response, callback, body), waited);
        });
    return true;
  }

  private void handle(HttpCall call, long waitedNanos) {
    long start = System.nanoTime();
    Entry entry = find(call.path());
    String name = entry == null ? "unknown" : entry.name();
    Telemetry.RequestTrace trace =
        telemetry.request(call, entry == null ? RouteTemplate.UNKNOWN : entry.template());
    Throwable failure = null;
    try {
      dispatch(call, entry, waitedNanos);
    } catch (ApiException e) {
      respond(call, e);
    } catch (IOException e) {
      failure = e;
      logger.log(
          System.Logger.Level.DEBUG,
          "connection failed while answering {0}: {1}",
          call.path(),
          e.toString());
    } catch (RuntimeException | Error e) {
      failure = e;
      fatalErrors.checkFatal(e);
      logger.log(
          System.Logger.Level.ERROR,
          "unexpected failure answering " + call.method() + " " + call.path(),
          e);
      respond(call, INTERNAL_ERROR, 500);
    } finally {
      call.abortIfUnanswered(); // what a handler left unanswered ends here
      metrics.request(name, call.status(), System.nanoTime() - start);
      usage.count(name, call.status(), call.clientKey());
      accessLog.log(call); // while the request's span is current: the line carries its ids
      trace.end(call, failure);
    }
  }

  private void dispatch(HttpCall call, Entry entry, long waitedNanos) throws IOException {
    Cors cors = this.cors;
    if (Cors.isPreflight(call)) {
      cors.preflight(call);
      return;
    }
    cors.decorate(call);
    if (waitedNanos > Limits.MAX_QUEUE_WAIT.toNanos()) {
      call.setHeader("Retry-After", "1");
      throw ApiException.overloaded();
    }
    if (call.headerBytes() > Limits.MAX_HEADER_BYTES) {
      throw ApiException.headersTooLarge(Limits.MAX_HEADER_BYTES);
    }
    if (entry == null) {
      throw ApiException.notFound();
    }
    if (!entry.methods().contains(call.method())) {
      throw ApiException.methodNotAllowed(entry.allow());
    }
    entry.route().handle(call);
  }

  private static void respond(HttpCall call, ApiException e) {
    if (e.allow() != null) {
      call.setHeader("Allow", e.allow());
    }
    respond(call, e.body(), e.status());
  }

  private static void respond(HttpCall call, Body body, int status) {
    if (call.completed()) {
      return; // the response is on its way; nothing more can be said
    }
    try {
      call.respond(status, body);
    } catch (IOException | RuntimeException e) {
      logger.log(
          System.Logger.Level.DEBUG,
          "could not send {0} for {1}: {2}",
          status,
          call.path(),
          e.toString());
    }
  }
}
