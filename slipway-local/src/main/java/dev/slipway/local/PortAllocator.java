package dev.slipway.local;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands out 127.0.0.1 ports. An owner gets its previous port again when that port is free, so URLs
 * stay the same from one {@code up} to the next; {@code state/ports.json} remembers them.
 */
final class PortAllocator {

  private static final TypeReference<TreeMap<String, Integer>> TYPE = new TypeReference<>() {};
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int ATTEMPTS = 100;
  private final Path file;
  /** Ports handed out in this session, and to whom. */
  private final Map<Integer, String> handedOut = new HashMap<>();
  private final ReentrantLock lock = new ReentrantLock();

  PortAllocator(Path file) {
    this.file = file;
  }

  /** A port for {@code owner}; never one handed out earlier in this session. */
  int allocate(String owner) throws IOException {
    return allocate(owner, false);
  }

  /**
   * @param reuseOwn whether the owner may get back a port it was given earlier in this session
   *                 (for owners that never run twice at once, such as a database server)
   */
  int allocate(String owner, boolean reuseOwn) throws IOException {
    lock.lock();
    try {
      TreeMap<String, Integer> known = JsonFiles.read(file, TYPE, TreeMap::new);
      Integer last = known.get(owner);
      int port;
      if (last != null && isFree(last)
          && (!handedOut.containsKey(last) || (reuseOwn && owner.equals(handedOut.get(last))))) {
        port = last;
      } else {
        // Keep clear of ports other owners used last time, so they can have theirs back.
        Set<Integer> avoid = new HashSet<>(known.values());
        avoid.addAll(handedOut.keySet());
        port = fresh(avoid);
      }
      handedOut.put(port, owner);
      int chosen = port;
      JsonFiles.update(file, TYPE, TreeMap::new, map -> {
        map.put(owner, chosen);
        return map;
      });
      return port;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Records that {@code owner} has {@code port}, which something of ours already listens on (an
   * adopted process, the router's front port): no one else is handed it in this session.
   */
  void claim(String owner, int port) throws IOException {
    lock.lock();
    try {
      handedOut.put(port, owner);
      JsonFiles.update(file, TYPE, TreeMap::new, map -> {
        map.put(owner, port);
        return map;
      });
    } finally {
      lock.unlock();
    }
  }

  /** Keeps {@code port} from being handed to anyone else in this session (an adopted process listens there). */
  void reserve(int port, String holder) {
    lock.lock();
    try {
      handedOut.putIfAbsent(port, holder);
    } finally {
      lock.unlock();
    }
  }

  private static int fresh(Set<Integer> avoid) throws IOException {
    for (int i = 0; i < ATTEMPTS; i++) {
      int candidate;
      try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
        candidate = s.getLocalPort();
      }
      if (!avoid.contains(candidate)) {
        return candidate;
      }
    }
    throw new IOException("no free port on 127.0.0.1 after " + ATTEMPTS + " attempts");
  }

  /** Whether a server could listen on {@code port} now (a listener on any address makes it busy). */
  static boolean isFree(int port) {
    if (port <= 0 || port > 65535) {
      return false;
    }
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(LOOPBACK, port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
