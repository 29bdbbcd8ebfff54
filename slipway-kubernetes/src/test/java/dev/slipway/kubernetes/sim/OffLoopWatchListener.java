package dev.slipway.kubernetes.sim;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs a watch's close callbacks off the mock server's event loop. fabric8's mock (8.0.0) closes a
 * watch by waiting, on its only event loop, for the watch's send queue to finish; a send still queued
 * waits for a write that only that event loop can complete. Every client that closed a watch while
 * an event was on its way stalled the whole server for 30 s (the write's timeout): a runner closes its
 * watches after each wait, so the tests met it often. The callbacks keep their order on one thread of
 * their own.
 *
 * <p>Off the loop, a closing watch stayed in the dispatcher's set of watchers until its callbacks had run,
 * while its send executor was already shut down: an event for it (a DELETE's, say) then threw
 * RejectedExecutionException out of the request, which was never answered, and whoever sent it (the
 * simulated kubelet's one worker) hung. So the watch leaves that set at once, on the loop, where every
 * request is dispatched: no later event is sent to it.
 */
final class OffLoopWatchListener extends WebSocketListener {
  private final WebSocketListener delegate;
  private final ExecutorService closing = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("mock-watch-close").factory());

  OffLoopWatchListener(WebSocketListener delegate) {
    this.delegate = delegate;
  }

  @Override
  public void onBeforeAccept(WebSocket webSocket, Response response) {
    delegate.onBeforeAccept(webSocket, response);
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    delegate.onOpen(webSocket, response);
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    delegate.onMessage(webSocket, text);
  }

  @Override
  public void onMessage(WebSocket webSocket, ByteString bytes) {
    delegate.onMessage(webSocket, bytes);
  }

  @Override
  public void onMessage(WebSocket webSocket, byte[] bytes) {
    delegate.onMessage(webSocket, bytes);
  }

  @Override
  public void onPing(WebSocket webSocket, byte[] bytes) {
    delegate.onPing(webSocket, bytes);
  }

  /** Takes the delegate out of the dispatcher's watchers (its private set: the mock offers no other way). */
  private void leave() {
    try {
      java.lang.reflect.Field f = delegate.getClass().getDeclaredField("watchEventListenerList");
      f.setAccessible(true);
      ((java.util.Set<?>) f.get(delegate)).remove(delegate);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Another mock version: its own onClosed removes it, later.
    }
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    leave();
    closing.execute(() -> delegate.onClosing(webSocket, code, reason));
  }

  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    leave();
    closing.execute(() -> delegate.onClosed(webSocket, code, reason));
    closing.shutdown();
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable t, Response response) {
    leave();
    closing.execute(() -> delegate.onFailure(webSocket, t, response));
    closing.shutdown();
  }
}
