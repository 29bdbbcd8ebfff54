package dev.slipway.store.audit;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * Another server process for {@link JdbcAuditLogIT}, run as a child JVM: {@code AuditAppender JDBC_URL
 * NAME COUNT} appends COUNT entries by NAME, printing {@code started} after the first.
 */
public final class AuditAppender {
  private AuditAppender() {}

  public static void main(String[] args) throws Exception {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setURL(args[0]);
    AuditLog log = new JdbcAuditLog(source);
    int count = Integer.parseInt(args[2]);
    for (int i = 1; i <= count; i++) {
      log.append(NewAuditEntry.of(args[1], "deploy", "staging", "api-" + i));
      if (i == 1) {
        System.out.println("started");
        System.out.flush();
      }
    }
  }
}
