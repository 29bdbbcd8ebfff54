package dev.slipway.kubernetes.sim;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.Resetable;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers pods' {@code /log} requests, which the CRUD mode cannot (it would look for an object
 * named {@code log}), and hands everything else to fabric8's mixed dispatcher (expectations first,
 * then CRUD). A watch's close runs off the server's event loop ({@link OffLoopWatchListener}).
 */
final class LogDispatcher extends Dispatcher implements Resetable, CustomResourceAware {

  private static final Pattern LOG_PATH =
      Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(?:\\?(.*))?");

  final Map<String, String> logs = new ConcurrentHashMap<>();
  final AtomicInteger logRequests = new AtomicInteger();
  volatile BiFunction<String, String, String> defaultLog = (namespace, pod) -> "started\n";
  private final KubernetesMixedDispatcher delegate;

  LogDispatcher(KubernetesMixedDispatcher delegate) {
    this.delegate = delegate;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    Matcher m = LOG_PATH.matcher(request.getPath());
    if (request.method() != HttpMethod.GET || !m.matches()) {
      MockResponse response = delegate.dispatch(request);
      if (response != null && response.getWebSocketListener() != null
          && !(response.getWebSocketListener() instanceof OffLoopWatchListener)) {
        response.withWebSocketUpgrade(new OffLoopWatchListener(response.getWebSocketListener()));
      }
      return response;
    }
    logRequests.incrementAndGet();
    String namespace = m.group(1);
    String pod = m.group(2);
    Map<String, String> query = query(m.group(3));
    String text = logs.get(namespace + '/' + pod);
    if (text == null && podExists(request, namespace, pod)) {
      text = defaultLog.apply(namespace, pod);
    }
    if (text == null) {
      return new MockResponse()
          .setResponseCode(404)
          .setHeader("Content-Type", "application/json")
          .setBody(
              "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\","
                  + "\"code\":404,\"message\":\"pods \\\"" + pod + "\\\" not found\"}");
    }
    String tail = query.get("tailLines");
    if (tail != null) {
      String[] lines = text.split("\n");
      int n = Math.max(0, Integer.parseInt(tail));
      String[] kept = Arrays.copyOfRange(lines, Math.max(0, lines.length - n), lines.length);
      text = kept.length == 0 ? "" : String.join("\n", kept) + '\n';
    }
    // follow=true gets the same body: the mock server writes a response whole, then ends it.
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain").setBody(text);
  }

  private boolean podExists(RecordedRequest request, String namespace, String pod) {
    RecordedRequest get =
        new RecordedRequest(
            request.getHttpVersion(),
            HttpMethod.GET,
            "/api/v1/namespaces/" + namespace + "/pods/" + pod,
            Headers.builder().build(),
            null);
    return delegate.dispatch(get).code() == 200;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new ConcurrentHashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  @Override
  public void reset() {
    logs.clear();
    delegate.reset();
  }

  @Override
  public void expectCustomResource(CustomResourceDefinitionContext context) {
    delegate.expectCustomResource(context);
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  @Override
  public void releaseResources() {
    delegate.releaseResources();
  }
}
