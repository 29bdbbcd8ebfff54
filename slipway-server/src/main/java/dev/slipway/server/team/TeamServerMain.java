package dev.slipway.server.team;

import dev.slipway.store.StoreException;
import dev.slipway.store.audit.AuditSigner;
import dev.slipway.store.audit.JdbcAuditLog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of {@code slipway server} (the CLI runs it as a child JVM in the foreground, like the
 * control plane): {@code -f FILE [--data DIR] [--store URL --store-password-file F] [--listen
 * 127.0.0.1:PORT] [--kubeconfig F] [--context C] [--preview-quota N]}.
 *
 * <p>Exit codes: 1 the server failed to start (its store, its port), 2 bad arguments. SIGTERM or Ctrl-C stop it
 * cleanly (runs in flight are left stored, for the next start to finish; {@code server.json} removed), and the
 * JVM then reports the signal (143, 130).
 */
public final class TeamServerMain {
  static final Duration LEASE_TTL = Duration.ofSeconds(30);
  static final Duration QUEUE = Duration.ofMinutes(2);

  private TeamServerMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> errors = new ArrayList<>();
    TeamServerArgs parsed = TeamServerArgs.parse(args, errors);
    ServerDatabase.Settings store = null;
    if (errors.isEmpty()) {
      try {
        store = ServerDatabase.settings(parsed.storeUrl(), parsed.storePasswordFile(), System.getenv());
      } catch (StoreException e) {
        errors.add(e.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      errors.forEach(e -> err.println("slipway server: " + e));
      return 2;
    }
    Running running;
    try {
      running = start(parsed, store, Clock.systemUTC(), 60, out);
    } catch (StoreException e) {
      err.println("slipway server: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("slipway server: cannot listen on " + parsed.listen() + " or write " + parsed.dataDir() + ": " + e
          .getMessage() + "; choose another --listen port (0 picks a free one) or --data directory");
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      running.close();
      stopped.countDown();
    }, "slipway-server-stop"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** The server with its store open; closing it stops both (and the embedded PostgreSQL). */
  record Running(TeamApp app, ServerDatabase db) implements AutoCloseable {
    @Override
    public void close() {
      try {
        app.close();
      } finally {
        db.close();
      }
    }
  }

  /** Opens the store (migrated), the audit key, and starts the server; for ITs in-process too. */
  static Running start(TeamServerArgs args, ServerDatabase.Settings store, Clock clock, long checkpointSeconds,
      PrintStream out) throws StoreException, IOException {
    Files.createDirectories(args.dataDir());
    ServerDatabase db = ServerDatabase.open(args.dataDir(), store, ds -> new JdbcAuditLog(ds, clock), clock,
        line -> out.println("slipway server: " + line));
    try {
      out.println("slipway server: state in " + db.description());
      AuditSigner signer = AuditSigner.open(args.dataDir().resolve("audit-key"));
      TeamSettings settings = new TeamSettings(args.modelFile(), args.dataDir(), args.kubeconfig(), args.context(),
          args.previewQuota(), LEASE_TTL, QUEUE);
      return new Running(TeamApp.start(db.store(), db.auditLog(), signer, settings, args.listen(), clock,
          checkpointSeconds, out), db);
    } catch (StoreException | IOException | RuntimeException e) {
      db.close();
      throw e;
    }
  }
}
