package dev.slipway.kubernetes.sim;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Gives a watch a socket whose sends do not wait for the write. fabric8's mock (8.0.0) closes a
 * watch on its only event loop by waiting for the watch's send queue to drain, and a queued send waits
 * for a write that only that event loop can complete: every client that closed a watch while an event
 * was on its way stalled the whole server for 30 s (the write's timeout). A runner closes watches after
 * its waits, so the tests met it often. Here each send is handed, in order, to a thread of the socket's
 * own, so the mock's queue drains at once; every callback still runs where the mock runs it (running the
 * close elsewhere let events be queued on a closed watch, which failed the request that caused them).
 */
final class OffLoopWatchListener extends WebSocketListener {
  private final WebSocketListener delegate;
  private volatile Sending socket;

  OffLoopWatchListener(WebSocketListener delegate) {
    this.delegate = delegate;
  }

  private WebSocket wrap(WebSocket real) {
    Sending s = socket;
    if (s == null || s.real != real) {
      s = new Sending(real);
      socket = s;
    }
    return s;
  }

  @Override
  public void onBeforeAccept(WebSocket webSocket, Response response) {
    delegate.onBeforeAccept(wrap(webSocket), response);
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    delegate.onOpen(wrap(webSocket), response);
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    delegate.onMessage(wrap(webSocket), text);
  }

  @Override
  public void onMessage(WebSocket webSocket, ByteString bytes) {
    delegate.onMessage(wrap(webSocket), bytes);
  }

  @Override
  public void onMessage(WebSocket webSocket, byte[] bytes) {
    delegate.onMessage(wrap(webSocket), bytes);
  }

  @Override
  public void onPing(WebSocket webSocket, byte[] bytes) {
    delegate.onPing(wrap(webSocket), bytes);
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    delegate.onClosing(wrap(webSocket), code, reason);
  }

  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    delegate.onClosed(wrap(webSocket), code, reason);
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable t, Response response) {
    delegate.onFailure(wrap(webSocket), t, response);
  }

  /** The real socket, its sends and its close queued in order on one virtual thread. */
  private static final class Sending implements WebSocket {
    final WebSocket real;
    private final ExecutorService queue = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("mock-watch-send").factory());

    Sending(WebSocket real) {
      this.real = real;
    }

    @Override
    public RecordedRequest request() {
      return real.request();
    }

    @Override
    public boolean send(String text) {
      return enqueue(() -> real.send(text));
    }

    @Override
    public boolean send(byte[] bytes) {
      return enqueue(() -> real.send(bytes));
    }

    @Override
    public boolean close(int code, String reason) {
      boolean queued = enqueue(() -> real.close(code, reason));
      queue.shutdown();
      return queued;
    }

    private boolean enqueue(Runnable act) {
      try {
        queue.execute(act);
        return true;
      } catch (RejectedExecutionException closed) {
        return false; // the watch is closed: nobody reads this event any more
      }
    }
  }
}
