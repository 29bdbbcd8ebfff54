package dev.slipway.engine;

import dev.slipway.api.EventView;
import dev.slipway.engine.runtime.SecretMasker;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What happened, in order: the source of progress output, the API's event stream and the live view.
 * Keeps the most recent events so a client that connects late (or reconnects) misses nothing
 * recent. Every message and detail is masked before it is stored.
 */
public final class EventLog {
  private static final int KEPT = 2000;
  private final SecretMasker masker;
  private final Deque<EventView> recent = new ArrayDeque<>();
  private final List<Consumer<EventView>> listeners = new CopyOnWriteArrayList<>();
  private long seq;
  /** A lock, not a monitor: listeners print while it is held. */
  private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();

  public EventLog(SecretMasker masker) {
    this.masker = masker;
  }

  /** Records an event and hands it to every listener. */
  public EventView emit(String kind, String subject, String message, Map<String, Object> details) {
    // Listeners are called under the lock so every listener sees events in sequence order; they
    // must be quick (enqueue, print).
    lock.lock();
    try {
      EventView event = new EventView(++seq, Instant.now().toString(), kind, subject, masker.mask(message),
          maskDetails(details));
      recent.addLast(event);
      if (recent.size() > KEPT) {
        recent.removeFirst();
      }
      for (Consumer<EventView> l : listeners) {
        l.accept(event);
      }
      return event;
    } finally {
      lock.unlock();
    }
  }

  public EventView emit(String kind, String subject, String message) {
    return emit(kind, subject, message, Map.of());
  }

  /** Events with a sequence number above {@code after}, oldest first. */
  public List<EventView> after(long after) {
    lock.lock();
    try {
      List<EventView> out = new ArrayList<>();
      for (EventView e : recent) {
        if (e.seq() > after) {
          out.add(e);
        }
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Registers {@code listener} for future events. To replay missed ones without gaps, call
   * {@link #after} after subscribing and drop duplicates by sequence number.
   */
  public Runnable subscribe(Consumer<EventView> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private Map<String, Object> maskDetails(Map<String, Object> details) {
    if (details == null || details.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    details.forEach((k, v) -> out.put(k, maskValue(v)));
    return out;
  }

  private Object maskValue(Object v) {
    if (v instanceof String s) {
      return masker.mask(s);
    }
    if (v instanceof List<?> list) {
      List<Object> masked = new ArrayList<>();
      for (Object o : list) {
        masked.add(maskValue(o));
      }
      return masked;
    }
    return v;
  }
}
