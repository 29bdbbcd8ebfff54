package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.team.AuditChain;
import dev.slipway.api.team.AuditEntryView;
import dev.slipway.api.team.CheckpointView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slipway audit} and {@code audit verify} against a stand-in server serving a real hash chain
 * and Ed25519-signed checkpoints: the trail is read page by page, and verify checks it here and exits 1
 * when an entry was changed or the tail cut below an exported checkpoint.
 */
class AuditCommandsTest {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  @TempDir
  Path dir;
  private TeamServerStandIn server;
  private KeyPair key;
  private List<AuditEntryView> trail;
  private final List<CheckpointView> checkpoints = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new TeamServerStandIn(TeamCommandsTest.MARKER);
    key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    trail = chain(5);
    server.on("GET /api/v1/team/audit", r -> {
      Map<String, String> q = query(r.query());
      long after = Long.parseLong(q.getOrDefault("afterSeq", "0"));
      int limit = Integer.parseInt(q.getOrDefault("limit", "1000"));
      return new TeamServerStandIn.Reply(200, trail.stream().filter(e -> e.seq() > after)
          .filter(e -> q.get("env") == null || q.get("env").equals(e.environment())).limit(limit).toList());
    });
    server.on("GET /api/v1/team/audit/checkpoints", r -> new TeamServerStandIn.Reply(200, checkpoints));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static Map<String, String> query(String query) {
    Map<String, String> q = new java.util.HashMap<>();
    if (query != null) {
      for (String kv : query.split("&")) {
        String[] p = kv.split("=", 2);
        q.put(p[0], java.net.URLDecoder.decode(p[1], StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  private List<AuditEntryView> chain(int n) {
    List<AuditEntryView> out = new ArrayList<>();
    String prev = AuditChain.GENESIS;
    for (int i = 1; i <= n; i++) {
      AuditEntryView e = entry(i, i % 2 == 0 ? "production" : "staging", "deploy", prev, null);
      String hash = AuditChain.hash(prev, e);
      out.add(entry(i, e.environment(), e.action(), prev, hash));
      prev = hash;
    }
    return out;
  }

  private static AuditEntryView entry(long seq, String env, String action, String prev, String hash) {
    return new AuditEntryView(seq, T0.plusSeconds(seq), "alice", action, env, "api", "r" + (seq - 1), "r" + seq,
        null, null, "entry " + seq, null, prev, hash);
  }

  private CheckpointView sign(long count) throws Exception {
    String head = trail.get((int) count - 1).hash();
    Instant at = T0.plusSeconds(60);
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(key.getPrivate());
    s.update(AuditChain.checkpointText(count, head, at).getBytes(StandardCharsets.UTF_8));
    return new CheckpointView(count, head, at, Base64.getEncoder().encodeToString(key.getPublic().getEncoded()),
        Base64.getEncoder().encodeToString(s.sign()));
  }

  private CliTestSupport.Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Main main = new Main((a, e, d, o, p) -> {
      throw new AssertionError("no cluster");
    }, q -> java.util.Optional.empty(), Map.of("SLIPWAY_SERVER", server.url(), "SLIPWAY_TOKEN", TeamCommandsTest.MARKER,
        "XDG_CONFIG_HOME", dir.toString())::get, java.io.InputStream.nullInputStream());
    int code = Main.execute(main, args, new PrintWriter(out, true), new PrintWriter(err, true));
    CliTestSupport.Result r = new CliTestSupport.Result(code, out.toString(), err.toString());
    assertThat(r.out() + r.err()).doesNotContain(TeamCommandsTest.MARKER);
    return r;
  }

  @Test
  void audit_readsTheWholeTrailPageByPage_andFiltersByEnvironment() throws Exception {
    trail = chain(AuditCommands.PAGE + 3);

    CliTestSupport.Result all = cli("audit", "--json");
    CliTestSupport.Result production = cli("audit", "--env", "production", "--since", "2026-12-01T00:00:00Z");

    assertThat(all.code()).as(all.output()).isZero();
    assertThat(TeamClient.JSON.readValue(all.out(), AuditEntryView[].class)).hasSize(AuditCommands.PAGE + 3);
    assertThat(server.requests.get(1).query()).isEqualTo("afterSeq=" + AuditCommands.PAGE + "&limit=" + AuditCommands.PAGE);
    assertThat(production.out()).containsPattern("^# +AT +WHO +ACTION +ENV +SERVICE +RELEASE +REASON +DETAILS\n")
        .containsPattern("\n2 +2026-12-07T10:00:02Z +alice +deploy +production +api +r1 → r2 +entry 2 +-\n")
        .doesNotContain("staging");
    assertThat(server.requests.get(2).query()).startsWith("env=production&since=2026-12-01T00%3A00%3A00Z&afterSeq=0");
  }

  @Test
  void verify_anIntactTrail_exits0_andExportsACheckpointOfTheHeadSignedNow_whichALaterVerifyUses() throws Exception {
    checkpoints.add(sign(3));
    server.on("POST /api/v1/team/audit/checkpoint", q -> {
      try {
        checkpoints.add(sign(trail.size()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return new TeamServerStandIn.Reply(200, checkpoints.get(checkpoints.size() - 1));
    });
    Path saved = dir.resolve("checkpoint.json");

    CliTestSupport.Result r = cli("audit", "verify", "--export", saved.toString());

    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.out()).contains("audit trail intact: 5 entries").contains("5 entries and 2 checkpoints checked: intact")
        .contains("saved the checkpoint of 5 entries");
    assertThat(server.requests).extracting(q -> q.method() + " " + q.path()).contains("POST /api/v1/team/audit/checkpoint");
    assertThat(TeamClient.JSON.readValue(saved.toFile(), CheckpointView.class)).isEqualTo(checkpoints.get(1));

    trail = trail.subList(0, 4);
    checkpoints.remove(1);
    CliTestSupport.Result cut = cli("audit", "verify", "--checkpoint", saved.toString());
    CliTestSupport.Result unaware = cli("audit", "verify");

    assertThat(cut.code()).as(cut.output()).isEqualTo(1);
    assertThat(cut.out()).contains("truncated").contains("names 5 entries, the trail has 4")
        .contains("was changed");
    assertThat(unaware.code()).as("without the saved checkpoint a cut tail cannot be seen").isZero();
  }

  @Test
  void verify_whenAnEntryWasEdited_namesIt_andExits1() throws Exception {
    checkpoints.add(sign(5));
    AuditEntryView e = trail.get(2);
    trail = new ArrayList<>(trail);
    trail.set(2, new AuditEntryView(e.seq(), e.at(), "mallory", e.action(), e.environment(), e.service(),
        e.beforeRelease(), e.afterRelease(), e.beforeDigest(), e.afterDigest(), e.reason(), e.details(), e.prevHash(),
        e.hash()));

    CliTestSupport.Result r = cli("audit", "verify", "--export", dir.resolve("x.json").toString());

    assertThat(r.code()).as(r.output()).isEqualTo(1);
    assertThat(r.out()).contains("audit trail TAMPERED").contains("changed: entry 3 (deploy api in staging by mallory");
    assertThat(dir.resolve("x.json")).as("a tampered trail's checkpoint is not exported").doesNotExist();
  }

  @Test
  void verify_aSavedFileThatIsNoCheckpoint_isBadInput() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.json"), "not json");

    CliTestSupport.Result r = cli("audit", "verify", "--checkpoint", junk.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("is not a checkpoint");
  }
}
