package dev.slipway.store.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.team.AuditChain;
import dev.slipway.api.team.AuditVerifier;
import dev.slipway.api.team.CheckpointView;
import dev.slipway.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditSignerTest {
  @TempDir
  Path dir;

  @Test
  void open_createsTheKeyFile0600InADirectory0700_andReopensTheSameKey() throws Exception {
    Path file = dir.resolve("server/keys/audit-key.pem");

    AuditSigner created = AuditSigner.open(file);
    AuditSigner reopened = AuditSigner.open(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n").contains("-----BEGIN PUBLIC KEY-----\n");
    assertThat(reopened.publicKey()).isEqualTo(created.publicKey());
    assertThat(Files.list(file.getParent())).containsExactly(file);
  }

  @Test
  void sign_makesCheckpointsTheVerifierAccepts_andOnlyForWhatWasSigned() throws Exception {
    AuditSigner signer = AuditSigner.open(dir.resolve("audit-key.pem"));

    CheckpointView checkpoint = signer.sign(7, "ab".repeat(32), Instant.parse("2026-12-07T09:00:00.123456Z"));

    assertThat(checkpoint.at()).isEqualTo(Instant.parse("2026-12-07T09:00:00.123Z"));
    assertThat(checkpoint.publicKey()).isEqualTo(signer.publicKey());
    assertThat(AuditVerifier.signatureValid(checkpoint)).isTrue();
    assertThat(AuditVerifier.signatureValid(new CheckpointView(8, checkpoint.headHash(), checkpoint.at(),
        checkpoint.publicKey(), checkpoint.signature()))).isFalse();
    assertThat(signer.sign(AuditChain.checkpointText(7, "ab".repeat(32), checkpoint.at()))).isEqualTo(checkpoint.signature());
  }

  @Test
  void open_refusesAKeyFileOthersMayRead() throws Exception {
    Path file = dir.resolve("audit-key.pem");
    AuditSigner.open(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> AuditSigner.open(file))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessage("the key file " + file + " is open to others (mode rw-r--r--), so anyone who read it can sign"
            + " checkpoints over a forged trail; run chmod 600 " + file + "; if others may have read it, move it aside so"
            + " the server creates a new key (keep the old public key to verify older checkpoints)");
  }

  @Test
  void open_ofAFileWithoutAKey_saysWhatIsWrongAndWhatToDo() throws Exception {
    Path file = dir.resolve("audit-key.pem");
    Files.writeString(file, "not a key\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    assertThatThrownBy(() -> AuditSigner.open(file))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessageStartingWith("the key file " + file + " is not an audit signing key: it lacks a PRIVATE KEY block;"
            + " restore it from a backup, or move it aside");
  }

  @Test
  void open_ofAPrivateKeyWithAnotherKeysPublicHalf_isRefused() throws Exception {
    Path a = dir.resolve("a.pem");
    Path b = dir.resolve("b.pem");
    AuditSigner.open(a);
    AuditSigner.open(b);
    String mixed = Files.readString(a).substring(0, Files.readString(a).indexOf("-----BEGIN PUBLIC KEY-----"))
        + Files.readString(b).substring(Files.readString(b).indexOf("-----BEGIN PUBLIC KEY-----"));
    Files.writeString(a, mixed);

    assertThatThrownBy(() -> AuditSigner.open(a))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessageContaining("its public key does not belong to its private key");
  }

  @Test
  void open_fromManyThreadsAtOnce_makesOneKey() throws Exception {
    Path file = dir.resolve("data/audit-key.pem");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> keys = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Callable<String> open = () -> AuditSigner.open(file).publicKey();
        keys.add(pool.submit(open));
      }
      String first = keys.get(0).get(1, TimeUnit.MINUTES);
      for (Future<String> key : keys) {
        assertThat(key.get(1, TimeUnit.MINUTES)).isEqualTo(first);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(Files.list(file.getParent())).containsExactly(file);
  }
}
