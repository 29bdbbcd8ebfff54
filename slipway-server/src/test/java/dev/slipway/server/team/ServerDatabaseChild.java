package dev.slipway.server.team;

import dev.slipway.store.audit.JdbcAuditLog;
import java.nio.file.Path;
import java.time.Clock;

/** A server's JVM for {@link ServerDatabaseIT}: opens the embedded database under DATA, says so, and waits to be stopped. */
final class ServerDatabaseChild {
  private ServerDatabaseChild() {}

  public static void main(String[] args) throws Exception {
    ServerDatabase db = ServerDatabase.open(Path.of(args[0]), ServerDatabase.Settings.EMBEDDED, JdbcAuditLog::new,
        Clock.systemUTC(), line -> { });
    System.out.println("ready " + db.store().userCount());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE); // never closes it: the JVM's shutdown must stop PostgreSQL
  }
}
